/// A partner's report on one leg (mirrors `trialtransit.v1.PartnerRideUpdate`).
public struct PartnerUpdate: Sendable, Hashable {
    /// The partner's event id.
    public var eventID: String
    /// Partner id; the wiring checks it matches the topic it came from.
    public var partnerID: String
    /// Booking id from the offer.
    public var bookingID: String
    /// Leg id from the offer.
    public var legID: String
    /// The partner's own ride id (from accepted on); may be empty.
    public var partnerRideID: String?
    /// New status; must be one of ``RideStatus/partnerReportable``.
    public var status: RideStatus
    /// Strictly increasing per (booking, leg) for this partner, from 1.
    public var sequence: UInt64
    /// Estimate for the next stop, unix ms.
    public var etaAt: Int64?
    /// Why (with rejected, no drivers, no-show, cancelled).
    public var reason: PartnerReason?

    public init(
        eventID: String, partnerID: String, bookingID: String, legID: String, partnerRideID: String? = nil,
        status: RideStatus, sequence: UInt64, etaAt: Int64? = nil, reason: PartnerReason? = nil
    ) {
        self.eventID = eventID
        self.partnerID = partnerID
        self.bookingID = bookingID
        self.legID = legID
        self.partnerRideID = partnerRideID
        self.status = status
        self.sequence = sequence
        self.etaAt = etaAt
        self.reason = reason
    }
}
