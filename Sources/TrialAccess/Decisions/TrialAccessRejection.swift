import TransitDomain

/// Why a command was refused. Nothing of it is applied. The message names states, ids of trials,
/// sites and visits and machine codes only, never personal data (and not the patient ref).
public struct TrialAccessRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The codes both domains share.
    public typealias Code = RejectionCode

    public var code: Code
    /// For `rpc-message` / `dlq-error`.
    public var message: String
    /// The enrollment's state when the refusal is about it.
    public var state: EnrollmentState?

    public init(_ code: Code, _ message: String, state: EnrollmentState? = nil) {
        self.code = code
        self.message = message
        self.state = state
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
