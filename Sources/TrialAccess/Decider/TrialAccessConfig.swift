import TransitDomain

/// Settings of the trial-access rules.
public struct TrialAccessConfig: Codable, Sendable, Hashable {
    /// How long a reserved slot is held before screening must start, ms (default 14 days).
    public var reservationTTL: Int64
    /// Visit codes whose completion ends treatment: on-study -> follow-up (compared case-insensitively).
    public var endOfTreatmentVisitCodes: Set<String>
    /// Visit codes whose completion ends the study: on-study or follow-up -> off-study.
    public var endOfStudyVisitCodes: Set<String>

    public init(
        reservationTTL: Int64 = Millis.days(14), endOfTreatmentVisitCodes: Set<String> = ["EOT"],
        endOfStudyVisitCodes: Set<String> = ["EOS"]
    ) {
        self.reservationTTL = reservationTTL
        self.endOfTreatmentVisitCodes = endOfTreatmentVisitCodes
        self.endOfStudyVisitCodes = endOfStudyVisitCodes
    }

    /// The defaults.
    public static let standard = TrialAccessConfig()
}
