import TransitRuntime
import TransitWire
import TransportBooking

extension TransportHandler {
    /// `PatientDataErasureRequested`: every booking of the patient is erased (open legs cancelled,
    /// partners told to forget; addresses and tokens removed, history kept) and the intake drops
    /// its travel requests. One patient-level `ERASURE` audit record names the request, and the
    /// patient's tombstone (``ErasureTombstones``) turns every later input of the patient into a no-op.
    func eraseData(
        _ body: PatientDataErasureRequested, event: TravelEvent, state: BookingState, now: Int64
    ) throws -> PendingWrites {
        let requestID = body.erasureRequestId.isEmpty ? event.eventId : body.erasureRequestId
        var writes = PendingWrites()
        writes.erasedPatient = event.patientRef
        let ids = try state.bookingIDs(patientRef: event.patientRef)
        for id in ids {
            guard let booking = try state.booking(id: id) else { continue }
            let erasure = DataErasure(eventID: "\(event.eventId)/\(booking.visitID)", erasureRequestID: requestID)
            writes.decisions.append(try decided(.eraseData(erasure), booking: booking, now: now))
        }
        var requestsErased = 0
        if var intake = try state.intake(patientRef: event.patientRef) {
            requestsErased = intake.assistance.count
            intake.erasePersonalData()
            writes.intake = intake
        }
        var record = AuditRecord()
        record.auditId = "\(event.eventId)/audit/patient"
        record.occurredAt = now
        record.actor = config.auditActor
        record.action = .erasure
        record.subject = event.patientRef
        record.details = [
            "erasure-request-id": requestID, "source-event-id": event.eventId, "bookings": String(ids.count),
            "travel-requests-erased": String(requestsErased), "erased": "pickup,drop-off,contact-token",
        ]
        writes.outputs.append(PendingOutput(topic: topics.audit, key: event.patientRef, value: record.wireBytes()))
        return writes
    }
}
