import TransitRuntime
import TransportBooking

/// Everything one input decided, written together once the whole input has been decided (a
/// handler must not write before it knows it will not throw).
struct PendingWrites {
    /// One decision per booking the input touched.
    var decisions: [BookingDecision] = []
    /// The patient's intake after the input, when it changed.
    var intake: TravelIntake?
    /// Messages besides the decisions' (e.g. the patient-level erasure audit record).
    var outputs: [PendingOutput] = []
    /// The patient whose erasure tombstone to write (``ErasureTombstones``), for an erasure request.
    var erasedPatient: String?
}

extension TransportHandler {
    /// The decision, or the failure that dead-letters the input.
    func decided(_ command: BookingCommand, booking: Domain.Booking?, now: Int64) throws(HandlerFailure)
        -> BookingDecision
    {
        switch decide(command, booking: booking, now: now) {
        case .success(let decision): return decision
        case .failure(let rejection): throw rejection.handlerFailure
        }
    }

    /// Writes `writes` and queues its messages.
    func commit(_ writes: PendingWrites, state: BookingState, context: inout HandlerContext) throws {
        if let intake = writes.intake { try state.save(intake) }
        if let patientRef = writes.erasedPatient {
            try ErasureTombstones(transaction: state.transaction).record(patientRef)
        }
        let writer = BookingWriter(handler: self, state: state)
        var outputs: [PendingOutput] = []
        for decision in writes.decisions { outputs += try writer.write(decision) }
        for output in outputs + writes.outputs {
            context.emit(topic: output.topic, key: output.key, value: output.value)
        }
    }
}

extension BookingRejection {
    /// Dead-letter code of a rejected event (docs/TRANSPORT.md §9): unknown booking or leg →
    /// `UNKNOWN_REFERENCE`, anything else → `INVALID`.
    var handlerFailure: HandlerFailure {
        code == .notFound ? .unknownReference(message) : .invalid("\(code.rawValue): \(message)")
    }
}
