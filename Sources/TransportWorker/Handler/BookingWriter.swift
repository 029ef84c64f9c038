import TransitStore
import TransitWire
import TransportBooking

/// A message a decision produces; the caller queues it (handler context or RPC call).
struct PendingOutput {
    var topic: String
    var key: String
    var value: [UInt8]
}

/// Writes a decision: the booking, its timers, and the messages for booking events, partner
/// commands and audit records (returned, to be queued in the same transaction's outbox). Call it
/// only once nothing of the input can fail any more.
struct BookingWriter {
    let handler: TransportHandler
    let state: BookingState

    /// Writes `decision` (nothing when it was ignored) and returns its messages.
    func write(_ decision: BookingDecision) throws -> [PendingOutput] {
        if let reason = decision.ignoredReason {
            handler.logger.debug(
                "decision changed nothing",
                metadata: ["booking": "\(decision.booking.bookingID)", "reason": "\(reason)"])
            return []
        }
        try state.save(decision.booking)
        TransportMetrics.decided(decision)
        for timer in decision.timers {
            switch timer {
            case .set(let offer):
                try state.transaction.schedule(
                    DurableTimer(key: offer.timerID, owner: handler.name, fireAt: offer.fireAt, payload: []))
            case .cancel(let timerID):
                try state.transaction.cancelTimer(key: timerID)
            }
        }
        let topics = handler.topics
        var outputs: [PendingOutput] = []
        for event in decision.events {
            outputs.append(
                PendingOutput(
                    topic: topics.bookingEvents, key: event.patientRef,
                    value: Wire.BookingEvent(event, source: handler.name).wireBytes()))
        }
        for command in decision.partnerCommands {
            outputs.append(
                PendingOutput(
                    topic: topics.partnerRequests(command.partnerID), key: command.bookingID,
                    value: PartnerRideCommand(command).wireBytes()))
        }
        for note in decision.audit {
            outputs.append(PendingOutput(topic: topics.audit, key: note.subject, value: AuditRecord(note).wireBytes()))
        }
        return outputs
    }
}
