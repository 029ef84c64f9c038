import TransitRuntime
import TransitStore
import TransitWire

/// Revision check on trial access's events for a visit: a `TravelNeeded` decided before a
/// `TravelNoLongerNeeded` already handled for the same visit (by `occurred_at`, the time trial
/// access decided it) is stale, whatever order the two arrive in, and books nothing. It is
/// ignored and audited (`REQUEST_REFUSED`, reason `STALE_TRAVEL_NEEDED`). One decided at the same
/// time is current: trial access dates every output of a decision (and of a batch) alike, and a
/// moved visit is `TravelNoLongerNeeded` then `TravelNeeded` in one decision, in that order (per-key
/// order keeps them so). A later `TravelNeeded` (the visit scheduled again) books as usual.
extension TransportHandler {
    /// State namespace: `<patient_ref>/<visit_id>` -> `occurred_at` of the last handled
    /// `TravelNoLongerNeeded` (8 bytes, little endian). Pseudonymous ids only.
    static let visitCancellationsNamespace = "transport.visit-cancellations"

    /// The reason in the audit record of an ignored `TravelNeeded`.
    static let staleTravelNeeded = "STALE_TRAVEL_NEEDED"

    /// Remembers that trial access said at `event.occurredAt` that the visit needs no rides.
    func rememberNoLongerNeeded(visitID: String, event: TrialAccessEvent, transaction: any StoreTransaction) throws {
        let key = Self.visitKey(patientRef: event.patientRef, visitID: visitID)
        if let known = try cancelledAt(key, transaction: transaction), known >= event.occurredAt { return }
        try transaction.setState(
            namespace: Self.visitCancellationsNamespace, key: key,
            value: withUnsafeBytes(of: event.occurredAt.littleEndian) { Array($0) })
    }

    /// Nil when `event` (a `TravelNeeded` for `visitID`) is current; else the writes of ignoring
    /// it: one audit record.
    func staleTravelNeeded(visitID: String, event: TrialAccessEvent, transaction: any StoreTransaction, now: Int64) throws
        -> PendingWrites?
    {
        let key = Self.visitKey(patientRef: event.patientRef, visitID: visitID)
        guard let cancelled = try cancelledAt(key, transaction: transaction), event.occurredAt < cancelled else { return nil }
        var record = AuditRecord()
        record.auditId = "\(event.eventId)/audit/stale"
        record.occurredAt = now
        record.actor = config.auditActor
        record.action = .requestRefused
        record.subject = event.patientRef
        record.details = [
            "reason": Self.staleTravelNeeded, "source-event-id": event.eventId, "visit-id": visitID,
            "travel-needed-at": String(event.occurredAt), "no-longer-needed-at": String(cancelled),
        ]
        var writes = PendingWrites()
        writes.outputs.append(PendingOutput(topic: topics.audit, key: event.patientRef, value: record.wireBytes()))
        return writes
    }

    private func cancelledAt(_ key: String, transaction: any StoreTransaction) throws -> Int64? {
        guard let bytes = try transaction.state(namespace: Self.visitCancellationsNamespace, key: key), bytes.count == 8
        else { return nil }
        return bytes.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) }
    }

    private static func visitKey(patientRef: String, visitID: String) -> String { "\(patientRef)/\(visitID)" }
}
