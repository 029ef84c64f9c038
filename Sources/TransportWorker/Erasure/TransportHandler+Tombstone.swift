import Metrics
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire

extension TransportHandler {
    /// Whether the input is ignored because the patient's data was erased (docs/TRANSPORT.md
    /// "Erasure is durable"): after the patient's lock, a tombstone turns a travel request, a
    /// cancellation or a trial-access event of an erased patient (replayed, redriven or late)
    /// into a no-op: nothing stored, no partner contacted; one audit record (action ERASURE,
    /// `outcome` = `input-ignored`) and a count instead.
    func ignoredAfterErasure(
        patientRef: String, eventID: String, input: String, state: BookingState, context: inout HandlerContext
    ) throws -> Bool {
        try state.lockPatient(patientRef)
        guard try ErasureTombstones(transaction: state.transaction).isErased(patientRef) else { return false }
        let record = erasedInputAudit(
            patientRef: patientRef, eventID: eventID, input: input, replayID: context.replayID, now: context.now)
        context.emit(topic: topics.audit, key: patientRef, value: record.wireBytes())
        Self.countIgnored(input)
        return true
    }

    /// `BookRide` for an erased patient: refused with FAILED_PRECONDITION; the audit record goes
    /// into the outbox directly, since an RPC's own outputs are published only with an OK answer.
    func refuseBookingAfterErasure(patientRef: String, inputID: String, state: BookingState, call: RPCCall) throws {
        try state.lockPatient(patientRef)
        guard try ErasureTombstones(transaction: state.transaction).isErased(patientRef) else { return }
        let record = erasedInputAudit(
            patientRef: patientRef, eventID: inputID, input: "BookRide", replayID: nil, now: call.now)
        try call.transaction.enqueue([
            OutboxMessage(topic: topics.audit, key: Array(patientRef.utf8), value: record.wireBytes())
        ])
        Self.countIgnored("BookRide")
        throw RPCError.failedPrecondition("the patient's personal data was erased; no ride is booked")
    }

    private func erasedInputAudit(
        patientRef: String, eventID: String, input: String, replayID: String?, now: Int64
    ) -> AuditRecord {
        var record = AuditRecord()
        record.auditId = "\(eventID)/audit/erased-input" + (replayID.map { "/" + $0 } ?? "")
        record.occurredAt = now
        record.actor = config.auditActor
        record.action = .erasure
        record.subject = patientRef
        record.details = ["outcome": "input-ignored", "input": input, "source-event-id": eventID]
        if let replayID { record.details["replay-id"] = replayID }
        return record
    }

    /// `trialtransit_erased_inputs_ignored_total{input}`: inputs of erased patients turned into no-ops.
    private static func countIgnored(_ input: String) {
        Counter(label: "trialtransit_erased_inputs_ignored_total", dimensions: [("input", input)]).increment()
    }
}

extension TravelEvent.Body {
    /// The body's name when a tombstone turns it into a no-op; nil for the erasure request itself,
    /// which always runs (a repeated erasure erases nothing more and keeps the tombstone).
    var erasableInputName: String? {
        switch self {
        case .travelAssistanceRequested: "TravelAssistanceRequested"
        case .travelAssistanceCancelled: "TravelAssistanceCancelled"
        case .patientDataErasureRequested: nil
        }
    }
}

extension TrialAccessEvent.Body {
    /// The body's name when the transport worker acts on it (and a tombstone turns it into a no-op).
    var bookingInputName: String? {
        switch self {
        case .travelNeeded: "TravelNeeded"
        case .travelNoLongerNeeded: "TravelNoLongerNeeded"
        case .visitPlanned: "VisitPlanned"
        default: nil
        }
    }
}
