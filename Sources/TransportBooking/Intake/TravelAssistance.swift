/// A patient's `TravelAssistanceRequested`: where to pick up and how to reach them. Personal data.
public struct TravelAssistance: Codable, Sendable, Hashable {
    /// `request_id`, unique per patient.
    public var requestID: String
    /// Trial whose visits need rides.
    public var trialID: String
    /// One visit; nil = every upcoming visit of `trialID`.
    public var visitID: String?
    /// Pickup location.
    public var pickup: Location
    /// Drop-off; nil = the visit's site.
    public var dropOff: Location?
    /// Also book the return leg.
    public var returnTrip: Bool
    /// nil = the referral's (from `TravelNeeded`).
    public var mobility: Mobility?
    /// Companions riding along.
    public var companions: UInt32
    /// BCP 47; nil or empty = the referral's.
    public var language: String?
    /// Opaque contact token.
    public var contactToken: String
    /// Partner to try first.
    public var preferredPartnerID: String?
    /// Visits excluded later by a `TravelAssistanceCancelled` naming one visit of a trial-wide request.
    public var cancelledVisitIDs: Set<String>

    public init(
        requestID: String, trialID: String, visitID: String?, pickup: Location, dropOff: Location? = nil,
        returnTrip: Bool, mobility: Mobility? = nil, companions: UInt32 = 0, language: String? = nil,
        contactToken: String, preferredPartnerID: String? = nil
    ) {
        self.requestID = requestID
        self.trialID = trialID
        self.visitID = visitID.flatMap { $0.isEmpty ? nil : $0 }
        self.pickup = pickup
        self.dropOff = dropOff
        self.returnTrip = returnTrip
        self.mobility = mobility
        self.companions = companions
        self.language = language
        self.contactToken = contactToken
        self.preferredPartnerID = preferredPartnerID.flatMap { $0.isEmpty ? nil : $0 }
        self.cancelledVisitIDs = []
    }

    /// True when this request asks for rides to `need`'s visit.
    public func covers(_ need: VisitTravelNeed) -> Bool {
        guard !cancelledVisitIDs.contains(need.visitID) else { return false }
        if let visitID { return visitID == need.visitID }
        return trialID == need.trialID
    }
}
