import TransitDomain

/// Lifecycle of one ride leg (mirrors `trialtransit.v1.RideStatus` without UNSPECIFIED).
///
/// See ``LegTransitionRules`` for the allowed transitions and ``rank`` for the order that keeps
/// out-of-order partner updates from moving a leg backwards.
public enum RideStatus: String, Codable, Sendable, Hashable, ProtoNumbered {
    /// A ride is needed; no partner asked yet.
    case requested
    /// A `RideOffer` went to one partner; waiting for its answer.
    case offered
    /// The partner took the ride.
    case accepted
    /// A driver and vehicle are assigned.
    case driverAssigned = "driver_assigned"
    /// The driver is close to the pickup point.
    case arriving
    /// The patient is on board.
    case pickedUp = "picked_up"
    /// The patient was dropped off. Terminal.
    case completed
    /// Cancelled by anyone; see `RideLeg.cancelledBy`. Terminal.
    case cancelled
    /// The driver waited and the patient did not come. Terminal.
    case noShow = "no_show"
    /// The partner declined the offer; the next partner is tried at once.
    case rejected
    /// The partner has no driver for the window; the next partner is tried at once.
    case noDriversAvailable = "no_drivers_available"
    /// The partner did not answer in time; the next partner is tried at once.
    case offerTimedOut = "offer_timed_out"
    /// No automatic way forward (no partner left); a coordinator must act.
    case needsAttention = "needs_attention"

    /// Enum value name in `common.proto`, e.g. `RIDE_STATUS_DRIVER_ASSIGNED` (used in audit details).
    public var protoName: String { "RIDE_STATUS_" + rawValue.uppercased() }
}
