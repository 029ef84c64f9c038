extension DeciderContext {
    /// The visit moved: cancels the open legs of the current schedule (actor system,
    /// `VISIT_RESCHEDULED`, late when inside the partner's period) and books the same directions
    /// for the new time as the next revision. If the patient is already on the way or at the site
    /// (outbound picked up or completed), nothing is cancelled and the outbound leg is flagged
    /// `visitChanged`.
    func reschedule(_ request: Reschedule, booking: Booking?) -> Result<BookingDecision, BookingRejection> {
        guard let booking else { return .reject(.notFound, "no booking for this patient and visit") }
        guard request.appointmentAt > 0 else { return .reject(.invalidArgument, "new appointment time is missing") }
        let duration = request.visitDurationMinutes.flatMap { $0 > 0 ? $0 : nil } ?? booking.visitDurationMinutes
        if request.appointmentAt == booking.appointmentAt, duration == booking.visitDurationMinutes {
            return ignored(booking, ReasonCode.nothingChanged)
        }
        var builder = builder(booking, inputID: request.eventID)
        let current = builder.currentIndices

        if let outbound = current.first(where: { booking.legs[$0].direction == .outbound }),
            [.pickedUp, .completed].contains(booking.legs[outbound].status)
        {
            guard booking.legs[outbound].attentionReason != .visitChanged else {
                return ignored(booking, ReasonCode.nothingToReschedule)
            }
            builder.flagAttention(outbound, reason: .visitChanged, code: ReasonCode.visitRescheduled)
            return .success(builder.decision())
        }

        let affected = current.filter { booking.legs[$0].status.isCancellable }
        guard !affected.isEmpty else { return ignored(booking, ReasonCode.nothingToReschedule) }
        let facts = TripFacts(legs: affected.map { booking.legs[$0] })
        for index in affected {
            builder.cancelLeg(index, actor: .system, reason: ReasonCode.visitRescheduled)
        }
        builder.booking.appointmentAt = request.appointmentAt
        builder.booking.visitDurationMinutes = duration
        builder.booking.requestedPickupWindow = nil
        builder.booking.revision += 1
        let directions = LegDirection.allCases.filter { direction in
            affected.contains { booking.legs[$0].direction == direction }
        }
        builder.bookLegs(directions, facts: facts, reason: ReasonCode.visitRescheduled)
        return .success(builder.decision())
    }
}
