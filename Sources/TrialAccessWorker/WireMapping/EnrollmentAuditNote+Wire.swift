import TransitWire
import TrialAccess

extension EnrollmentAuditNote {
    /// The `trialtransit.audit.v1` record (key = `subject`, the patient ref).
    func wire(actor: String) -> AuditRecord {
        var record = AuditRecord()
        record.auditId = auditID
        record.occurredAt = occurredAt
        record.actor = actor
        record.action =
            switch action {
            case .stateTransition: .stateTransition
            case .erasure: .erasure
            case .adverseEventResponse: .adverseEventResponse
            }
        record.subject = subject
        record.details = details
        return record
    }
}
