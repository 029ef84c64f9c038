/// Reads for `TrialAccess.GetEnrollment`.
public enum EnrollmentQueries {
    /// The patient's enrollment in `trialID`, or with no trial the most recently updated one;
    /// NOT_FOUND when there is none.
    public static func enrollment(
        in enrollments: [Enrollment], trialID: String?
    ) -> Result<Enrollment, TrialAccessRejection> {
        let found: Enrollment?
        if let trialID = trialID.nonEmpty {
            found = enrollments.first { $0.trialID == trialID }
        } else {
            found = enrollments.max { ($0.updatedAt, $1.trialID) < ($1.updatedAt, $0.trialID) }
        }
        guard let found else {
            return .failure(
                TrialAccessRejection(
                    .notFound,
                    trialID.nonEmpty.map { "the patient has no enrollment in trial \($0)" }
                        ?? "the patient has no enrollment"))
        }
        return .success(found)
    }
}
