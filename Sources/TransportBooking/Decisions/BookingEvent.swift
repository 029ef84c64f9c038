/// One message for `transport.booking.events.v1` (key = `patientRef`; mirrors `BookingEvent`).
/// Never carries an address or a contact token.
public struct BookingEvent: Codable, Sendable, Hashable {
    /// Topic (without prefix).
    public static let topic = "transport.booking.events.v1"

    /// Deterministic: `<input id>/<kind>/<leg id>` (or `<input id>/requested`).
    public var eventID: String
    /// Decision time, unix ms.
    public var occurredAt: Int64
    /// Pseudonymous patient; the Kafka key.
    public var patientRef: String
    public var body: BookingEventBody
}

/// Body of a ``BookingEvent``.
public enum BookingEventBody: Codable, Sendable, Hashable {
    /// A booking was created or rebooked; its new legs are requested.
    case rideRequested(BookingSnapshot)
    /// A leg was offered to a partner.
    case rideOffered(RideOffered)
    /// A partner accepted a leg.
    case rideConfirmed(RideConfirmed)
    /// A leg's status changed (partner update or timer).
    case rideStatusChanged(RideStatusChanged)
    /// A leg was cancelled.
    case rideCancelled(RideCancelled)
    /// A leg needs a coordinator.
    case rideNeedsAttention(RideNeedsAttention)
}

/// A leg was offered to a partner.
public struct RideOffered: Codable, Sendable, Hashable {
    public var bookingID: String
    public var legID: String
    public var partnerID: String
    /// When the offer lapses, unix ms.
    public var offerExpiresAt: Int64
    /// 1 for the first partner, 2 for the second, ...
    public var attempt: UInt32
}

/// A partner accepted a leg.
public struct RideConfirmed: Codable, Sendable, Hashable {
    public var bookingID: String
    public var legID: String
    public var partnerID: String
    public var partnerRideID: String?
    public var etaAt: Int64?
}

/// A leg's status changed.
public struct RideStatusChanged: Codable, Sendable, Hashable {
    public var bookingID: String
    public var legID: String
    public var partnerID: String?
    public var previousStatus: RideStatus
    public var status: RideStatus
    /// Partner update sequence that caused it; nil when not caused by a partner.
    public var partnerSequence: UInt64?
    public var etaAt: Int64?
    public var reasonCode: String?
}

/// A leg was cancelled.
public struct RideCancelled: Codable, Sendable, Hashable {
    public var bookingID: String
    public var legID: String
    public var cancelledBy: CancellationActor
    /// Inside the partner's late-cancellation period.
    public var lateCancellation: Bool
    public var reasonCode: String
}

/// A leg needs a coordinator.
public struct RideNeedsAttention: Codable, Sendable, Hashable {
    public var bookingID: String
    public var legID: String
    public var reason: AttentionReason
    /// Leg status when it was raised.
    public var lastStatus: RideStatus
    public var reasonCode: String?
    /// Visit the booking serves and its trial (trial access marks the visit at risk).
    public var visitID: String
    public var trialID: String
}
