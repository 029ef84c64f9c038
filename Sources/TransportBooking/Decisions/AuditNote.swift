/// An audit record for `trialtransit.audit.v1` (key = `subject`; mirrors `AuditRecord`).
/// Pseudonymous only: ids, statuses and machine codes, never an address or token.
public struct AuditNote: Codable, Sendable, Hashable {
    /// What was done (mirrors `AuditAction`).
    public enum Action: String, Codable, Sendable, Hashable {
        /// A leg changed status (`AUDIT_ACTION_STATE_TRANSITION`).
        case stateTransition = "state_transition"
        /// A leg's details changed with no change of status, e.g. its pickup window or a flag for a
        /// coordinator (`AUDIT_ACTION_AMENDMENT`).
        case amendment
        /// Personal data was erased (`AUDIT_ACTION_ERASURE`).
        case erasure
    }

    /// Deterministic: `<input id>/audit/<n>`.
    public var auditID: String
    public var occurredAt: Int64
    /// ``BookingConfig/auditActor``, e.g. `worker:transport`.
    public var actor: String
    public var action: Action
    /// The booking id.
    public var subject: String
    /// Lower-case dashed keys: `booking-id`, `leg-id`, `previous-state`, `state`, `reason`,
    /// `source-event-id`, `partner-id`, `erasure-request-id`.
    public var details: [String: String]
}
