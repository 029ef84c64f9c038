import TrialAccess

/// Every enrollment of one patient, stored under the patient's ref.
struct PatientEnrollments: Codable, Sendable, Hashable {
    /// By trial id (unique); sorted by trial id.
    var enrollments: [Enrollment]

    /// Replaces the enrollments with the same trial ids as `changed`, adds the others.
    mutating func merge(_ changed: [Enrollment]) {
        for enrollment in changed {
            if let index = enrollments.firstIndex(where: { $0.trialID == enrollment.trialID }) {
                enrollments[index] = enrollment
            } else {
                enrollments.append(enrollment)
            }
        }
        enrollments.sort { $0.trialID < $1.trialID }
    }
}
