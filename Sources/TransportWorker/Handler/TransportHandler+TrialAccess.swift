import TransitRuntime
import TransitStore
import TransitWire
import TransportBooking

extension TransportHandler {
    /// `trial.access.events.v1`: every planned visit is remembered (``BookingState/recordPlannedVisit(patientRef:visitID:)``);
    /// `TravelNeeded` books once a travel request covers the visit;
    /// `TravelNoLongerNeeded` cancels the visit's rides (a reschedule's new `TravelNeeded` then books
    /// the next revision); a moved visit (`VisitPlanned` with a previous time) reschedules the rides.
    func handleTrialAccess(
        _ event: TrialAccessEvent, transaction: any StoreTransaction, context: inout HandlerContext
    ) throws {
        let state = BookingState(transaction: transaction, locking: patientLocks)
        let writes: PendingWrites
        if let input = event.body?.bookingInputName,
            try ignoredAfterErasure(
                patientRef: event.patientRef, eventID: event.eventId, input: input, state: state, context: &context)
        {
            return
        }
        switch event.body {
        case .travelNeeded(let body):
            writes =
                try staleTravelNeeded(visitID: body.visit?.visitId ?? "", event: event, transaction: transaction, now: context.now)
                ?? travelNeeded(body, event: event, state: state, now: context.now)
        case .travelNoLongerNeeded(let body):
            writes = try travelNoLongerNeeded(body, event: event, state: state, now: context.now)
        case .visitPlanned(let body):
            writes = try visitPlanned(body, event: event, state: state, now: context.now)
        default:
            return
        }
        try commit(writes, state: state, context: &context)
        if case .travelNoLongerNeeded(let body) = event.body {
            try rememberNoLongerNeeded(visitID: body.visitId, event: event, transaction: transaction)
        }
    }

    private func travelNeeded(
        _ body: TravelNeeded, event: TrialAccessEvent, state: BookingState, now: Int64
    ) throws -> PendingWrites {
        let need = try body.domain()
        try state.recordPlannedVisit(patientRef: event.patientRef, visitID: need.visitID)
        var intake = try state.intake(patientRef: event.patientRef) ?? TravelIntake(patientRef: event.patientRef)
        let joined = intake.record(need, eventID: event.eventId)
        return try booking(joined.map { [$0] } ?? [], intake: intake, state: state, now: now)
    }

    private func travelNoLongerNeeded(
        _ body: TravelNoLongerNeeded, event: TrialAccessEvent, state: BookingState, now: Int64
    ) throws -> PendingWrites {
        guard !body.visitId.isEmpty else { throw HandlerFailure.invalid("TravelNoLongerNeeded.visit_id is empty") }
        var writes = PendingWrites()
        if var intake = try state.intake(patientRef: event.patientRef) {
            intake.removeNeed(visitID: body.visitId)
            writes.intake = intake
        }
        let booking = try state.visitBooking(patientRef: event.patientRef, visitID: body.visitId, ids: bookingIDs).booking
        let request = CancelRequest.travelNoLongerNeeded(eventID: event.eventId, reason: body.reason.domain)
        switch decide(.cancel(request), booking: booking, now: now) {
        case .success(let decision): writes.decisions.append(decision)
        case .failure(let rejection) where rejection.code == .notFound: break  // nothing was booked
        case .failure(let rejection): throw rejection.handlerFailure
        }
        return writes
    }

    private func visitPlanned(
        _ body: VisitPlanned, event: TrialAccessEvent, state: BookingState, now: Int64
    ) throws -> PendingWrites {
        var writes = PendingWrites()
        guard let visit = body.visit, !visit.visitId.isEmpty, visit.scheduledAt > 0 else {
            throw HandlerFailure.invalid("VisitPlanned.visit needs visit_id and scheduled_at")
        }
        // Known from now on (BookRide: NOT_FOUND until then). A new visit is booked by its
        // TravelNeeded; only a moved one matters further here.
        try state.recordPlannedVisit(patientRef: event.patientRef, visitID: visit.visitId)
        guard body.previousScheduledAt != 0 else { return writes }
        let duration = visit.durationMinutes > 0 ? visit.durationMinutes : nil
        if var intake = try state.intake(patientRef: event.patientRef), var need = intake.needs[visit.visitId] {
            need.appointmentAt = visit.scheduledAt
            need.visitDurationMinutes = duration ?? need.visitDurationMinutes
            _ = intake.record(need, eventID: event.eventId)  // remembered only; TravelNeeded books
            writes.intake = intake
        }
        guard let booking = try state.visitBooking(patientRef: event.patientRef, visitID: visit.visitId, ids: bookingIDs).booking
        else { return writes }
        let reschedule = Reschedule(
            eventID: event.eventId, appointmentAt: visit.scheduledAt, visitDurationMinutes: duration)
        writes.decisions.append(try decided(.reschedule(reschedule), booking: booking, now: now))
        return writes
    }
}
