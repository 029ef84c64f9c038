/// What a command decided: the booking after it and everything the wiring must write in the same
/// transaction (booking events, partner commands, timers, audit records).
public struct BookingDecision: Sendable, Hashable {
    /// The booking after the command (equal to the input when ``ignoredReason`` is set).
    public var booking: Booking
    /// For `transport.booking.events.v1`, in order.
    public var events: [BookingEvent]
    /// For `transport.partner.<id>.requests.v1`, in order.
    public var partnerCommands: [PartnerCommand]
    /// Timers to set or cancel.
    public var timers: [TimerInstruction]
    /// For `trialtransit.audit.v1`.
    public var audit: [AuditNote]
    /// Set when the command changed nothing (duplicate, stale or already applied): a machine code
    /// such as `DUPLICATE_PARTNER_UPDATE`, for logs and metrics.
    public var ignoredReason: String?

    public init(
        booking: Booking, events: [BookingEvent] = [], partnerCommands: [PartnerCommand] = [],
        timers: [TimerInstruction] = [], audit: [AuditNote] = [], ignoredReason: String? = nil
    ) {
        self.booking = booking
        self.events = events
        self.partnerCommands = partnerCommands
        self.timers = timers
        self.audit = audit
        self.ignoredReason = ignoredReason
    }
}
