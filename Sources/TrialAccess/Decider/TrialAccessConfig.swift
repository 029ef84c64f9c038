import TransitDomain

/// Settings of the trial-access rules.
public struct TrialAccessConfig: Codable, Sendable, Hashable {
    /// How long a reserved slot is held before screening must start, ms (default 14 days).
    public var reservationTTL: Int64
    /// Visit codes whose completion ends treatment: on-study -> follow-up (compared case-insensitively).
    public var endOfTreatmentVisitCodes: Set<String>
    /// Visit codes whose completion ends the study: on-study or follow-up -> off-study.
    public var endOfStudyVisitCodes: Set<String>
    /// Grade 2 adverse event: the safety visit is planned this long after the report, ms, at most
    /// at the end of the trial's window (default 24 hours).
    public var safetyVisitLeadTime: Int64
    /// Grade 3 adverse event: the urgent visit is planned this long after the report, ms (default 2 hours).
    public var urgentVisitLeadTime: Int64
    /// Grade 3 adverse event: the urgent visit's window (and the window in which a visit already
    /// planned is reused), ms from the report (default 12 hours: the same day).
    public var urgentVisitWindow: Int64

    public init(
        reservationTTL: Int64 = Millis.days(14), endOfTreatmentVisitCodes: Set<String> = ["EOT"],
        endOfStudyVisitCodes: Set<String> = ["EOS"], safetyVisitLeadTime: Int64 = 24 * Millis.hour,
        urgentVisitLeadTime: Int64 = 2 * Millis.hour, urgentVisitWindow: Int64 = 12 * Millis.hour
    ) {
        self.safetyVisitLeadTime = safetyVisitLeadTime
        self.urgentVisitLeadTime = urgentVisitLeadTime
        self.urgentVisitWindow = urgentVisitWindow
        self.reservationTTL = reservationTTL
        self.endOfTreatmentVisitCodes = endOfTreatmentVisitCodes
        self.endOfStudyVisitCodes = endOfStudyVisitCodes
    }

    /// The defaults.
    public static let standard = TrialAccessConfig()
}
