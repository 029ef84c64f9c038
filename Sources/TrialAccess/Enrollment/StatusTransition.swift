/// One entry of an enrollment's history: a state change and what caused it.
public struct StatusTransition: Codable, Sendable, Hashable {
    public var from: EnrollmentState
    public var to: EnrollmentState
    /// Criterion codes or the cause (``StatusReason``).
    public var reasonCodes: [String]
    /// Set when `to` is ``EnrollmentState/withdrawn``.
    public var withdrawalReason: WithdrawalReason?
    /// Event id of the input that caused it (for a promotion: the input that freed the slot, suffixed).
    public var sourceEventID: String
    /// Decision time, unix ms.
    public var at: Int64
}
