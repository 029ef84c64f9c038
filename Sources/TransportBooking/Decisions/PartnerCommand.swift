/// One message for `transport.partner.<partnerID>.requests.v1` (key = `bookingID`; mirrors
/// `PartnerRideCommand`). Carries no patient ref, trial, visit, condition or site specialty.
public struct PartnerCommand: Codable, Sendable, Hashable {
    /// Deterministic: `<input id>/offer/<leg id>`, `<input id>/confirm/<leg id>` or
    /// `<input id>/cancel/<leg id>/<partner id>`.
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
        case .confirmation(let confirmation): confirmation.bookingID
        }
    }

    /// Topic (without prefix).
    public var topic: String { "transport.partner.\(partnerID).requests.v1" }
}

/// Body of a ``PartnerCommand``.
public enum PartnerCommandBody: Codable, Sendable, Hashable {
    case offer(RideOffer)
    case cancellation(RideCancellation)
    case confirmation(RideConfirmation)
}

/// An offer to carry one leg: only what a partner needs to decide (minimum necessary): coarse
/// areas, the distance, the window, mobility and companions; no address, language or token.
public struct RideOffer: Codable, Sendable, Hashable {
    public var bookingID: String
    public var legID: String
    /// Grid cell of the pickup point.
    public var pickupArea: CoarseArea
    /// Grid cell of the drop-off point.
    public var dropOffArea: CoarseArea
    /// Pickup to drop-off, metres (``CoarseArea/offerDistanceMeters(from:to:)``).
    public var distanceMeters: UInt32
    public var pickupWindow: TimeWindow
    public var mobility: Mobility
    public var companions: UInt32
    /// Answer before this instant, unix ms.
    public var offerExpiresAt: Int64
    /// The ride is urgent (pick up as early in the window as possible). Never a reason.
    public var urgent: Bool

    public init(
        bookingID: String, legID: String, pickupArea: CoarseArea, dropOffArea: CoarseArea, distanceMeters: UInt32,
        pickupWindow: TimeWindow, mobility: Mobility, companions: UInt32, offerExpiresAt: Int64, urgent: Bool = false
    ) {
        self.urgent = urgent
        self.bookingID = bookingID
        self.legID = legID
        self.pickupArea = pickupArea
        self.dropOffArea = dropOffArea
        self.distanceMeters = distanceMeters
        self.pickupWindow = pickupWindow
        self.mobility = mobility
        self.companions = companions
        self.offerExpiresAt = offerExpiresAt
    }

    /// The offer of a leg from `pickup` to `dropOff`: their cells and the rounded distance.
    public init(
        bookingID: String, legID: String, from pickup: Location, to dropOff: Location, pickupWindow: TimeWindow,
        mobility: Mobility, companions: UInt32, offerExpiresAt: Int64, urgent: Bool = false
    ) {
        self.init(
            bookingID: bookingID, legID: legID, pickupArea: CoarseArea(containing: pickup.point),
            dropOffArea: CoarseArea(containing: dropOff.point),
            distanceMeters: CoarseArea.offerDistanceMeters(from: pickup.point, to: dropOff.point),
            pickupWindow: pickupWindow, mobility: mobility, companions: companions, offerExpiresAt: offerExpiresAt,
            urgent: urgent)
    }
}

/// The leg's details for the one partner whose acceptance was applied: the exact addresses,
/// language and contact token. Never sent to a partner that declined or let the offer lapse.
public struct RideConfirmation: Codable, Sendable, Hashable {
    public var bookingID: String
    public var legID: String
    public var pickup: Location
    public var dropOff: Location
    public var pickupWindow: TimeWindow
    /// BCP 47; may be empty.
    public var language: String
    /// Opaque token for the contact relay; may be empty.
    public var contactToken: String

    public init(
        bookingID: String, legID: String, pickup: Location, dropOff: Location, pickupWindow: TimeWindow,
        language: String, contactToken: String
    ) {
        self.bookingID = bookingID
        self.legID = legID
        self.pickup = pickup
        self.dropOff = dropOff
        self.pickupWindow = pickupWindow
        self.language = language
        self.contactToken = contactToken
    }
}

/// TrialTransit withdraws an offer or cancels an accepted leg.
public struct RideCancellation: Codable, Sendable, Hashable {
    public var bookingID: String
    public var legID: String
    /// Inside the partner's late-cancellation period (the partner may bill its fee).
    public var lateCancellation: Bool
    /// The partner received the leg's ``RideConfirmation`` and must delete its details now.
    public var forgetRideDetails: Bool

    public init(bookingID: String, legID: String, lateCancellation: Bool, forgetRideDetails: Bool = false) {
        self.bookingID = bookingID
        self.legID = legID
        self.lateCancellation = lateCancellation
        self.forgetRideDetails = forgetRideDetails
    }
}
