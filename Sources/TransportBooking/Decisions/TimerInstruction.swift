/// A durable timer the wiring must set or cancel.
public enum TimerInstruction: Codable, Sendable, Hashable {
    /// Fire ``OfferTimeout`` at `timer.fireAt` (replace a timer with the same id).
    case set(OfferTimer)
    /// Drop the timer with this id if it has not fired (a fired stale timer is harmless).
    case cancel(timerID: String)
}

/// The time-out of one offer.
public struct OfferTimer: Codable, Sendable, Hashable {
    /// First segment of every offer timer id.
    public static let kind = "offer-timeout"

    /// `offer-timeout/<bookingID>/<legID>/<offerSequence>`.
    public var timerID: String
    /// When it fires, unix ms (offer time + the partner's response time-out).
    public var fireAt: Int64
    public var bookingID: String
    public var legID: String
    public var offerSequence: UInt32

    public init(bookingID: String, legID: String, offerSequence: UInt32, fireAt: Int64) {
        self.timerID = OfferTimer.id(bookingID: bookingID, legID: legID, offerSequence: offerSequence)
        self.fireAt = fireAt
        self.bookingID = bookingID
        self.legID = legID
        self.offerSequence = offerSequence
    }

    /// Timer id for an offer.
    public static func id(bookingID: String, legID: String, offerSequence: UInt32) -> String {
        "\(kind)/\(bookingID)/\(legID)/\(offerSequence)"
    }
}
