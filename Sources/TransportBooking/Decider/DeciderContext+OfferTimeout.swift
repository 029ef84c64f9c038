extension DeciderContext {
    /// An offer's timer fired: if that offer is still open, the leg goes offered → offerTimedOut,
    /// the partner gets a `RideCancellation` (the offer is void, forget the address), and the next
    /// partner is tried. A timer of an answered or older offer is a no-op.
    func offerTimedOut(_ timeout: OfferTimeout, booking: Booking?) -> Result<BookingDecision, BookingRejection> {
        guard let booking, booking.bookingID == timeout.bookingID else {
            return .reject(.notFound, "unknown booking \(timeout.bookingID)")
        }
        guard let index = booking.legs.firstIndex(where: { $0.legID == timeout.legID }) else {
            return .reject(.notFound, "booking \(timeout.bookingID) has no leg \(timeout.legID)")
        }
        let leg = booking.legs[index]
        guard leg.status == .offered, leg.offerAttempts == timeout.offerSequence, let partnerID = leg.currentPartnerID
        else { return ignored(booking, ReasonCode.staleTimer) }

        var builder = builder(booking, inputID: timeout.eventID)
        builder.booking.legs[index].offerExpiresAt = nil
        builder.booking.legs[index].reasonCode = ReasonCode.offerTimedOut
        builder.transition(index, to: .offerTimedOut, reason: ReasonCode.offerTimedOut, partnerID: partnerID)
        builder.send(
            "cancel/\(leg.legID)/\(partnerID)", to: partnerID,
            .cancellation(RideCancellation(bookingID: booking.bookingID, legID: leg.legID, lateCancellation: false)))
        builder.emitStatusChanged(
            index, from: .offered, partnerID: partnerID, sequence: nil, reason: ReasonCode.offerTimedOut)
        builder.offerOrEscalate(index)
        return .success(builder.decision())
    }
}
