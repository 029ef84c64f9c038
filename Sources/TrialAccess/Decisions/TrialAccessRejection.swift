/// Why a command was refused. Nothing of it is applied. The message names states, ids of trials,
/// sites and visits and machine codes only, never personal data (and not the patient ref).
public struct TrialAccessRejection: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The current state forbids it. RPC: FAILED_PRECONDITION (9); event: dead letter.
        case invalidTransition = "INVALID_TRANSITION"
        /// Unknown enrollment, trial, site or visit. RPC: NOT_FOUND (5); event: dead letter.
        case notFound = "NOT_FOUND"
        /// A field is missing or malformed. RPC: INVALID_ARGUMENT (3); event: dead letter.
        case invalidArgument = "INVALID_ARGUMENT"
        /// The thing to create exists with other content. RPC: ALREADY_EXISTS (6); event: dead letter.
        case alreadyExists = "ALREADY_EXISTS"

        /// gRPC status number (`rpc-status`).
        public var grpcStatus: Int {
            switch self {
            case .invalidArgument: 3
            case .notFound: 5
            case .alreadyExists: 6
            case .invalidTransition: 9
            }
        }

        /// `dlq-error-code` for a dead-lettered event.
        public var dlqErrorCode: String {
            switch self {
            case .invalidArgument: "INVALID"
            case .notFound: "UNKNOWN_REFERENCE"
            case .alreadyExists: "ALREADY_EXISTS"
            case .invalidTransition: "INVALID_TRANSITION"
            }
        }
    }

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
