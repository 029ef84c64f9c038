/// One message for `transport.partner.<partnerID>.requests.v1` (key = `bookingID`; mirrors
/// `PartnerRideCommand`). Carries no patient ref, trial, visit, condition or site specialty.
public struct PartnerCommand: Codable, Sendable, Hashable {
    /// Deterministic: `<input id>/offer/<leg id>` or `<input id>/cancel/<leg id>/<partner id>`.
    public var eventID: String
    /// Decision time, unix ms.
    public var occurredAt: Int64
    /// Partner addressed; names the topic.
    public var partnerID: String
    public var body: PartnerCommandBody

    /// Booking id; the Kafka key.
    public var bookingID: String {
        switch body {
        case .offer(let offer): offer.bookingID
        case .cancellation(let cancellation): cancellation.bookingID
        }
    }

    /// Topic (without prefix).
    public var topic: String { "transport.partner.\(partnerID).requests.v1" }
}

/// Body of a ``PartnerCommand``.
public enum PartnerCommandBody: Codable, Sendable, Hashable {
    case offer(RideOffer)
    case cancellation(RideCancellation)
}

/// An offer to carry one leg: only what a driver needs (minimum necessary).
public struct RideOffer: Codable, Sendable, Hashable {
    public var bookingID: String
    public var legID: String
    public var pickup: Location
    public var dropOff: Location
    public var pickupWindow: TimeWindow
    public var mobility: Mobility
    public var companions: UInt32
    /// BCP 47; may be empty.
    public var language: String
    /// Opaque token for the contact relay; may be empty.
    public var contactToken: String
    /// Answer before this instant, unix ms.
    public var offerExpiresAt: Int64

    public init(
        bookingID: String, legID: String, pickup: Location, dropOff: Location, pickupWindow: TimeWindow,
        mobility: Mobility, companions: UInt32, language: String, contactToken: String, offerExpiresAt: Int64
    ) {
        self.bookingID = bookingID
        self.legID = legID
        self.pickup = pickup
        self.dropOff = dropOff
        self.pickupWindow = pickupWindow
        self.mobility = mobility
        self.companions = companions
        self.language = language
        self.contactToken = contactToken
        self.offerExpiresAt = offerExpiresAt
    }
}

/// TrialTransit withdraws an offer or cancels an accepted leg; the partner forgets the address and token.
public struct RideCancellation: Codable, Sendable, Hashable {
    public var bookingID: String
    public var legID: String
    /// Inside the partner's late-cancellation period (the partner may bill its fee).
    public var lateCancellation: Bool

    public init(bookingID: String, legID: String, lateCancellation: Bool) {
        self.bookingID = bookingID
        self.legID = legID
        self.lateCancellation = lateCancellation
    }
}
