import TransitRuntime
import TransitStore
import TransitWire
import TransportBooking

extension TransportHandler {
    /// `travel.requests.v1`: a travel request books every visit it now covers; a cancellation
    /// cancels the bookings it served; an erasure request erases the patient's personal data.
    func handleTravel(_ event: TravelEvent, transaction: any StoreTransaction, context: inout HandlerContext) throws {
        let state = BookingState(transaction: transaction, locking: patientLocks)
        if let input = event.body?.erasableInputName,
            try ignoredAfterErasure(
                patientRef: event.patientRef, eventID: event.eventId, input: input, state: state, context: &context)
        {
            return
        }
        let writes: PendingWrites
        switch event.body {
        case .travelAssistanceRequested(let body):
            writes = try travelAssistanceRequested(body, event: event, state: state, now: context.now)
        case .travelAssistanceCancelled(let body):
            writes = try travelAssistanceCancelled(body, event: event, state: state, now: context.now)
        case .patientDataErasureRequested(let body):
            writes = try eraseData(body, event: event, state: state, now: context.now)
        case nil:
            throw HandlerFailure(code: "NO_BODY", reason: "envelope has no body")
        }
        try commit(writes, state: state, context: &context)
    }

    private func travelAssistanceRequested(
        _ body: TravelAssistanceRequested, event: TravelEvent, state: BookingState, now: Int64
    ) throws -> PendingWrites {
        let assistance = try body.domain()
        var intake = try state.intake(patientRef: event.patientRef) ?? TravelIntake(patientRef: event.patientRef)
        let joined = intake.record(assistance, eventID: event.eventId)
        return try booking(joined, intake: intake, state: state, now: now)
    }

    /// Cancels the bookings the request served (its `travelRequestID`), for one visit or all.
    private func travelAssistanceCancelled(
        _ body: TravelAssistanceCancelled, event: TravelEvent, state: BookingState, now: Int64
    ) throws -> PendingWrites {
        guard !body.requestId.isEmpty else {
            throw HandlerFailure.invalid(
                "TravelAssistanceCancelled.request_id is empty", field: "travel_assistance_cancelled.request_id")
        }
        var writes = PendingWrites()
        var named: [String] = body.visitId.isEmpty ? [] : [body.visitId]
        if var intake = try state.intake(patientRef: event.patientRef) {
            named = intake.cancel(requestID: body.requestId, visitID: body.visitId)
            writes.intake = intake
        }
        var candidates = Set(named.flatMap { bookingIDs.candidates(patientRef: event.patientRef, visitID: $0) })
        if body.visitId.isEmpty { candidates.formUnion(try state.bookingIDs(patientRef: event.patientRef)) }
        let reason = body.reasonCode.isEmpty ? "TRAVEL_ASSISTANCE_CANCELLED" : body.reasonCode
        for id in candidates.sorted() {
            guard let booking = try state.booking(id: id), booking.travelRequestID == body.requestId else { continue }
            let request = CancelRequest.travelAssistanceCancelled(
                eventID: "\(event.eventId)/\(booking.visitID)", actor: body.cancelledBy.domain, reasonCode: reason)
            switch decide(.cancel(request), booking: booking, now: now) {
            case .success(let decision): writes.decisions.append(decision)
            case .failure(let rejection) where rejection.code == .notFound: continue  // nothing booked
            case .failure(let rejection): throw rejection.handlerFailure
            }
        }
        return writes
    }
}
