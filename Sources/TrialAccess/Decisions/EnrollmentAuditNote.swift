/// An audit record for `trialtransit.audit.v1` (key = `subject`; mirrors `AuditRecord`).
/// Pseudonymous: ids, states and machine codes only.
public struct EnrollmentAuditNote: Sendable, Hashable {
    /// What was done (mirrors `AuditAction`).
    public enum Action: String, Sendable, Hashable {
        /// An enrollment changed state (`AUDIT_ACTION_STATE_TRANSITION`).
        case stateTransition = "state_transition"
        /// An erasure request was handled (`AUDIT_ACTION_ERASURE`).
        case erasure
        /// A step taken in answer to a reported adverse event (`AUDIT_ACTION_ADVERSE_EVENT_RESPONSE`).
        case adverseEventResponse = "adverse_event_response"
    }

    /// Deterministic: the status event id + `/audit`, or `<input>/audit/erasure`.
    public var auditID: String
    public var occurredAt: Int64
    public var action: Action
    /// The patient ref.
    public var subject: String
    /// Lower-case dashed keys: `trial-id`, `site-id`, `previous-state`, `state`, `reason-codes`
    /// (comma-separated), `withdrawal-reason`, `source-event-id`, `erasure-request-id`, and for an
    /// open referral `evaluated:<trial id>` = the trial's failed or missing codes.
    public var details: [String: String]
}
