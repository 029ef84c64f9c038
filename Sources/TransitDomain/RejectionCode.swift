/// Why a domain refused a command (trial access and transport booking alike). Nothing of the
/// command is applied; the code decides the RPC status of the reply. Trial access dead-letters a
/// refused event with ``dlqErrorCode``; transport with `UNKNOWN_REFERENCE` for ``notFound`` and
/// `INVALID` for the rest (docs/TRANSPORT.md §9).
public enum RejectionCode: String, Sendable, Hashable, CaseIterable {
    /// The current state forbids it (e.g. cancelling a completed leg, a screening result for an
    /// enrollment not in screening). RPC: FAILED_PRECONDITION (9).
    case invalidTransition = "INVALID_TRANSITION"
    /// Unknown enrollment, trial, site, visit, booking or leg. RPC: NOT_FOUND (5).
    case notFound = "NOT_FOUND"
    /// A field is missing or malformed. RPC: INVALID_ARGUMENT (3).
    case invalidArgument = "INVALID_ARGUMENT"
    /// The thing to create exists with other content. RPC: ALREADY_EXISTS (6).
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

    /// `dlq-error-code` of an event trial access refused.
    public var dlqErrorCode: String {
        switch self {
        case .invalidArgument: "INVALID"
        case .notFound: "UNKNOWN_REFERENCE"
        case .alreadyExists: "ALREADY_EXISTS"
        case .invalidTransition: "INVALID_TRANSITION"
        }
    }
}
