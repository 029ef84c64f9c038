/// Trial access's `TravelNeeded`: a planned visit the patient may get rides to.
public struct VisitTravelNeed: Codable, Sendable, Hashable {
    public var visitID: String
    public var trialID: String
    /// Appointment start, unix ms.
    public var appointmentAt: Int64
    /// Expected length, minutes; nil or 0 = unknown.
    public var visitDurationMinutes: UInt32?
    /// The site's location (default drop-off).
    public var destination: Location
    /// Mobility from the referral; nil = not given.
    public var mobility: Mobility?
    /// Companions from the referral.
    public var companions: UInt32
    /// Language from the referral.
    public var language: String
    /// An urgent visit: rides with the earliest pickup.
    public var urgent: Bool {
        get { urgentMark ?? false }
        set { urgentMark = newValue ? true : nil }
    }
    /// Backs ``urgent``; optional so that JSON rows written before the flag existed still decode.
    private var urgentMark: Bool?

    public init(
        visitID: String, trialID: String, appointmentAt: Int64, visitDurationMinutes: UInt32? = nil,
        destination: Location, mobility: Mobility? = nil, companions: UInt32 = 0, language: String = "",
        urgent: Bool = false
    ) {
        self.urgentMark = urgent ? true : nil
        self.visitID = visitID
        self.trialID = trialID
        self.appointmentAt = appointmentAt
        self.visitDurationMinutes = visitDurationMinutes
        self.destination = destination
        self.mobility = mobility
        self.companions = companions
        self.language = language
    }
}
