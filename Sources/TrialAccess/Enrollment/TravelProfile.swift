/// The referral facts transport needs later (no address: pickup details go straight from
/// `travel.requests.v1` to the transport worker).
public struct TravelProfile: Codable, Sendable, Hashable {
    public var mobility: Mobility?
    public var companions: Int
    /// BCP 47 tag.
    public var language: String?

    public init(mobility: Mobility? = nil, companions: Int = 0, language: String? = nil) {
        self.mobility = mobility
        self.companions = companions
        self.language = language
    }
}

/// A standing request for travel assistance (from `TravelAssistanceRequested`, or from a referral
/// with ``PatientReferral/wantsTravel``, whose request id is the referral id).
public struct TravelRequestRecord: Codable, Sendable, Hashable {
    public var requestID: String
    /// Only this visit; nil = every visit of the trial.
    public var visitID: String?
    /// Overrides of the referral's facts for rides of this request.
    public var mobility: Mobility?
    public var companions: Int?
    public var language: String?
    /// Visits cancelled out of a trial-wide request by `TravelAssistanceCancelled`.
    public var cancelledVisitIDs: [String]
    /// Derived from the referral's ``PatientReferral/wantsTravel`` (replaced by the next referral).
    public var fromReferral: Bool

    /// Whether this request asks for rides to `visitID`.
    public func covers(visitID: String) -> Bool {
        (self.visitID == nil || self.visitID == visitID) && !cancelledVisitIDs.contains(visitID)
    }
}
