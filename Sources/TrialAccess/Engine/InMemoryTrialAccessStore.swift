/// A ``TrialAccessRepository`` in memory, for tests and single-process demos.
public struct InMemoryTrialAccessStore: TrialAccessRepository, Sendable, Hashable {
    private var enrollmentsByPatient: [String: [String: Enrollment]] = [:]
    private var waitlistsByTrial: [String: Waitlist] = [:]

    public init() {}

    public func enrollments(patientRef: String) -> [Enrollment] {
        (enrollmentsByPatient[patientRef] ?? [:]).values.sorted { $0.trialID < $1.trialID }
    }

    public func waitlist(trialID: String) -> Waitlist? { waitlistsByTrial[trialID] }

    /// One enrollment.
    public func enrollment(patientRef: String, trialID: String) -> Enrollment? {
        enrollmentsByPatient[patientRef]?[trialID]
    }

    /// Saves an enrollment as it is.
    public mutating func put(_ enrollment: Enrollment) {
        enrollmentsByPatient[enrollment.patientRef, default: [:]][enrollment.trialID] = enrollment
    }

    /// Saves a waitlist as it is.
    public mutating func put(_ waitlist: Waitlist) { waitlistsByTrial[waitlist.trialID] = waitlist }

    /// Saves every aggregate of an outcome.
    public mutating func save(_ outcome: TrialAccessOutcome) {
        outcome.enrollments.forEach { put($0) }
        outcome.waitlists.forEach { put($0) }
    }
}
