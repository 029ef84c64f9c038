/// The patient needs rides (mirrors `TravelAssistanceRequested` without the pickup location,
/// drop-off and contact token, which only the transport worker keeps).
public struct TravelAssistanceRequest: Sendable, Hashable {
    public var requestID: String
    public var trialID: String
    /// Only this visit; nil = every visit of the trial.
    public var visitID: String?
    /// Overrides of the referral's mobility, companions and language; nil = the referral's.
    public var mobility: Mobility?
    public var companions: Int?
    public var language: String?

    public init(
        requestID: String, trialID: String, visitID: String? = nil, mobility: Mobility? = nil,
        companions: Int? = nil, language: String? = nil
    ) {
        self.requestID = requestID
        self.trialID = trialID
        self.visitID = visitID
        self.mobility = mobility
        self.companions = companions
        self.language = language
    }
}

/// The patient no longer needs the rides of an earlier request (mirrors `TravelAssistanceCancelled`).
/// Applies to every enrollment holding the request; the transport worker cancels the rides itself,
/// so no `TravelNoLongerNeeded` is emitted for it.
public struct TravelAssistanceCancellation: Sendable, Hashable {
    public var requestID: String
    /// Only this visit; nil = the whole request.
    public var visitID: String?

    public init(requestID: String, visitID: String? = nil) {
        self.requestID = requestID
        self.visitID = visitID
    }
}
