/// A durable timer: fires ``TrialAccessCommand/Body/reservationExpired(_:)`` when a held slot
/// lapses. One per enrollment: setting it again replaces it.
public struct ReservationTimer: Codable, Sendable, Hashable {
    /// `reservation-expiry/<patientRef>/<trialID>`.
    public var timerID: String
    /// When it fires, unix ms (reservation time + ``TrialAccessConfig/reservationTTL``).
    public var fireAt: Int64
    public var patientRef: String
    public var trialID: String
    /// Slot it guards; a firing for a slot no longer held is ignored.
    public var slotID: String

    public init(patientRef: String, trialID: String, slotID: String, fireAt: Int64) {
        self.timerID = ReservationTimer.id(patientRef: patientRef, trialID: trialID)
        self.fireAt = fireAt
        self.patientRef = patientRef
        self.trialID = trialID
        self.slotID = slotID
    }

    /// Timer id of an enrollment's reservation expiry.
    public static func id(patientRef: String, trialID: String) -> String {
        "reservation-expiry/\(patientRef)/\(trialID)"
    }

    /// Event id of the firing: `<timerID>@<fireAt>` (stable across retries and restarts).
    public var firingEventID: String { "\(timerID)@\(fireAt)" }

    /// The command to run when the timer fires.
    public var firingCommand: TrialAccessCommand {
        TrialAccessCommand(
            eventID: firingEventID, patientRef: patientRef, occurredAt: fireAt,
            body: .reservationExpired(ReservationExpiry(trialID: trialID, slotID: slotID)))
    }
}

/// A timer the wiring must set or cancel in the same transaction.
public enum SlotTimerInstruction: Codable, Sendable, Hashable {
    /// Set (or replace) the timer with ``ReservationTimer/timerID``.
    case set(ReservationTimer)
    /// Drop the timer if it has not fired (a stale firing is harmless anyway).
    case cancel(timerID: String)
}
