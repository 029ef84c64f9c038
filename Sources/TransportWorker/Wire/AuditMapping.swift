import TransitWire
import TransportBooking

extension AuditRecord {
    /// The audit record of a domain note (ids and codes only).
    init(_ note: AuditNote) {
        self.init()
        auditId = note.auditID
        occurredAt = note.occurredAt
        actor = note.actor
        action =
            switch note.action {
            case .stateTransition: .stateTransition
            case .erasure: .erasure
            case .amendment: .amendment
            }
        subject = note.subject
        details = note.details
    }
}
