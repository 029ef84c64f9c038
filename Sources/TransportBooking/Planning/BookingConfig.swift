/// Tunables of ride planning. Defaults are the documented policy (docs/TRANSPORT.md).
public struct BookingConfig: Sendable, Hashable {
    /// Average road speed for travel-time estimates, km/h (0 or less = the default 40).
    public var averageSpeedKmh: Double
    /// Road distance per great-circle km.
    public var roadFactor: Double
    /// Outbound: arrive this many minutes before the appointment.
    public var arrivalBufferMinutes: Int
    /// Width of every pickup window, minutes.
    public var pickupWindowMinutes: Int
    /// Visit length when the visit does not say, minutes.
    public var defaultVisitDurationMinutes: Int
    /// Return: the pickup window opens this many minutes after the visit's expected end.
    public var returnPickupDelayMinutes: Int
    /// Longest travel day a patient is asked to make, minutes: from the outbound pickup window's
    /// start to the return ride's latest arrival home. A booking with a return leg that would take
    /// longer gets the return leg flagged ``AttentionReason/overnightStay``; 0 or less = no limit.
    public var longestTravelDayMinutes: Int
    /// Audit `actor` of this worker.
    public var auditActor: String

    public init(
        averageSpeedKmh: Double = 40, roadFactor: Double = 1.3, arrivalBufferMinutes: Int = 20,
        pickupWindowMinutes: Int = 15, defaultVisitDurationMinutes: Int = 120, returnPickupDelayMinutes: Int = 10,
        longestTravelDayMinutes: Int = 720, auditActor: String = "worker:transport"
    ) {
        self.averageSpeedKmh = averageSpeedKmh
        self.roadFactor = roadFactor
        self.arrivalBufferMinutes = arrivalBufferMinutes
        self.pickupWindowMinutes = pickupWindowMinutes
        self.defaultVisitDurationMinutes = defaultVisitDurationMinutes
        self.returnPickupDelayMinutes = returnPickupDelayMinutes
        self.longestTravelDayMinutes = longestTravelDayMinutes
        self.auditActor = auditActor
    }

    /// The documented defaults.
    public static let standard = BookingConfig()
}
