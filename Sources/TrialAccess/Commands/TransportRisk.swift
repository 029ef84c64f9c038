/// Why a planned visit is at risk (mirrors `trialtransit.v1.VisitRiskReason` without UNSPECIFIED).
public enum VisitRiskReason: String, ProtoEnumMirror {
    /// The appointment lies outside the protocol window (`VisitPlanned.window_at_risk`).
    case outsideProtocolWindow = "outside-protocol-window"
    /// No transport partner could take a ride to or from the visit.
    case noPartnerAvailable = "no-partner-available"
    /// The partner cancelled an accepted ride.
    case partnerCancelled = "partner-cancelled"
    /// The pickup window is close and no driver is assigned.
    case pickupWindowAtRisk = "pickup-window-at-risk"
}

/// A `RideNeedsAttention` from `transport.booking.events.v1` that puts a visit at risk (only the
/// transport reasons of ``VisitRiskReason``; the wiring skips the other attention reasons).
public struct TransportRiskReport: Codable, Sendable, Hashable {
    public var trialID: String
    public var visitID: String
    public var reason: VisitRiskReason
    /// Booking and leg that need a coordinator (opaque ids).
    public var bookingID: String
    public var legID: String
    /// The transport worker's machine code; nil when empty.
    public var reasonCode: String?

    public init(
        trialID: String, visitID: String, reason: VisitRiskReason, bookingID: String, legID: String,
        reasonCode: String?
    ) {
        self.trialID = trialID
        self.visitID = visitID
        self.reason = reason
        self.bookingID = bookingID
        self.legID = legID
        self.reasonCode = reasonCode
    }
}

/// A `RideConfirmed` from `transport.booking.events.v1`: the leg has a partner (again).
public struct ConfirmedRide: Codable, Sendable, Hashable {
    /// Booking and leg (opaque ids), as in the ``TransportRiskReport`` they may clear.
    public var bookingID: String
    public var legID: String

    public init(bookingID: String, legID: String) {
        self.bookingID = bookingID
        self.legID = legID
    }
}

/// The latest transport failure reported for a leg of a planned visit (kept until a ride is
/// confirmed for the leg, or the visit is rescheduled, cancelled or completed).
public struct VisitTransportRisk: Codable, Sendable, Hashable {
    public var reason: VisitRiskReason
    public var bookingID: String
    public var legID: String
    public var reasonCode: String?
    /// Event id of the `RideNeedsAttention`.
    public var sourceEventID: String
    /// Decision time, unix ms.
    public var reportedAt: Int64

    public init(
        reason: VisitRiskReason, bookingID: String, legID: String, reasonCode: String?, sourceEventID: String,
        reportedAt: Int64
    ) {
        self.reason = reason
        self.bookingID = bookingID
        self.legID = legID
        self.reasonCode = reasonCode
        self.sourceEventID = sourceEventID
        self.reportedAt = reportedAt
    }
}
