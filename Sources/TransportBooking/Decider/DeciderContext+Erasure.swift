extension DeciderContext {
    /// Right to erasure: cancels the open legs (actor system, `DATA_ERASED`; partners get a
    /// `RideCancellation` and must forget the data), then removes every pickup, drop-off and
    /// contact token of the booking. History, statuses and ids stay (pseudonymous).
    func eraseData(_ erasure: DataErasure, booking: Booking?) -> Result<BookingDecision, BookingRejection> {
        guard let booking else { return .reject(.notFound, "no booking for this patient and visit") }
        let holdsData = booking.legs.contains { $0.pickup != nil || $0.dropOff != nil || $0.contactToken != nil }
        let open = booking.legs.indices.filter { booking.legs[$0].status.isCancellable }
        guard holdsData || !open.isEmpty else { return ignored(booking, ReasonCode.alreadyErased) }

        var builder = builder(booking, inputID: erasure.eventID)
        for index in open {
            builder.cancelLeg(index, actor: .system, reason: ReasonCode.dataErased)
        }
        for index in builder.booking.legs.indices {
            builder.booking.legs[index].pickup = nil
            builder.booking.legs[index].dropOff = nil
            builder.booking.legs[index].contactToken = nil
        }
        builder.booking.personalDataErasedAt = builder.booking.personalDataErasedAt ?? now
        builder.note(
            .erasure,
            [
                "booking-id": booking.bookingID, "erasure-request-id": erasure.erasureRequestID,
                "erased": "pickup,drop-off,contact-token", "source-event-id": erasure.eventID,
            ])
        builder.markChanged()
        return .success(builder.decision())
    }
}
