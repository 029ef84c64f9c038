/// Why a domain refused a command (trial access and transport booking alike). Nothing of the
/// command is applied; the code decides the RPC status of the reply and the dead-letter code of an
/// event.
public enum RejectionCode: String, Sendable, Hashable, CaseIterable {
    /// The current state forbids it (e.g. cancelling a completed leg, screening an ineligible
    /// patient). RPC: FAILED_PRECONDITION (9); event: dead letter `INVALID_TRANSITION`.
    case invalidTransition = "INVALID_TRANSITION"
    /// Unknown enrollment, trial, site, visit, booking or leg. RPC: NOT_FOUND (5); event: dead
    /// letter `UNKNOWN_REFERENCE`.
    case notFound = "NOT_FOUND"
    /// A field is missing or malformed. RPC: INVALID_ARGUMENT (3); event: dead letter `INVALID`.
    case invalidArgument = "INVALID_ARGUMENT"
    /// The thing to create exists with other content. RPC: ALREADY_EXISTS (6); event: dead letter
    /// `ALREADY_EXISTS`.
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
