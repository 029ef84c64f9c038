extension DeciderContext {
    /// Cancels one leg, or every open leg of the current schedule.
    ///
    /// Whole booking: cancellable legs are cancelled; a picked-up leg cannot be, and is flagged
    /// `visitChanged` for a coordinator; nothing open → no-op. One leg: completed, no-show or
    /// picked-up → `invalidTransition`; already cancelled → no-op.
    func cancel(_ request: CancelRequest, booking: Booking?) -> Result<BookingDecision, BookingRejection> {
        guard let booking, request.patientRef.map({ $0 == booking.patientRef }) ?? true else {
            return .reject(.notFound, "no booking for this patient and visit")
        }
        let reason = request.reasonCode.isEmpty ? ReasonCode.cancelled : request.reasonCode
        var builder = builder(booking, inputID: request.eventID)

        if let legID = request.legID {
            guard let index = builder.index(of: legID) else {
                return .reject(.notFound, "booking \(booking.bookingID) has no leg \(legID)")
            }
            let status = booking.legs[index].status
            if status == .cancelled { return ignored(booking, ReasonCode.nothingToCancel) }
            guard status.isCancellable else {
                return .reject(
                    .invalidTransition, "leg \(legID) is \(status.protoName) and can no longer be cancelled")
            }
            builder.cancelLeg(index, actor: request.actor, reason: reason)
            return .success(builder.decision())
        }

        var acted = false
        for index in builder.currentIndices {
            let leg = builder.booking.legs[index]
            if leg.status.isCancellable {
                builder.cancelLeg(index, actor: request.actor, reason: reason)
                acted = true
            } else if leg.status == .pickedUp, leg.attentionReason != .visitChanged {
                builder.flagAttention(index, reason: .visitChanged, code: reason)
                acted = true
            }
        }
        return acted ? .success(builder.decision()) : ignored(booking, ReasonCode.nothingToCancel)
    }
}
