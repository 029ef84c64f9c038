/// An offer's time-out timer fired.
public struct OfferTimeout: Sendable, Hashable {
    /// The timer id (``OfferTimer/id(bookingID:legID:offerSequence:)``); the input id.
    public var eventID: String
    public var bookingID: String
    public var legID: String
    /// Which offer of the leg the timer belongs to; a timer of an older offer is stale.
    public var offerSequence: UInt32

    public init(bookingID: String, legID: String, offerSequence: UInt32) {
        self.bookingID = bookingID
        self.legID = legID
        self.offerSequence = offerSequence
        self.eventID = OfferTimer.id(bookingID: bookingID, legID: legID, offerSequence: offerSequence)
    }

    /// The command for a fired timer.
    public init(timer: OfferTimer) {
        self.init(bookingID: timer.bookingID, legID: timer.legID, offerSequence: timer.offerSequence)
    }

    /// Parses a timer id `offer-timeout/<bookingID>/<legID>/<offerSequence>`.
    public init?(timerID: String) {
        let parts = timerID.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == OfferTimer.kind, !parts[1].isEmpty, !parts[2].isEmpty,
            let sequence = UInt32(parts[3])
        else { return nil }
        self.init(bookingID: String(parts[1]), legID: String(parts[2]), offerSequence: sequence)
    }
}
