/// The visit moved to a new time.
public struct Reschedule: Sendable, Hashable {
    /// Id of the input.
    public var eventID: String
    /// New appointment start, unix ms.
    public var appointmentAt: Int64
    /// New expected length, minutes; nil = keep the booking's.
    public var visitDurationMinutes: UInt32?

    public init(eventID: String, appointmentAt: Int64, visitDurationMinutes: UInt32? = nil) {
        self.eventID = eventID
        self.appointmentAt = appointmentAt
        self.visitDurationMinutes = visitDurationMinutes
    }
}
