/// Why a command was refused. The message names ids and codes only, never personal data.
public struct BookingRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// Kind of refusal; maps onto the gRPC status of an RPC reply.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// Unknown booking or leg. For a partner update: dead-letter it (`UNKNOWN_REFERENCE`).
        case notFound = "NOT_FOUND"
        /// A required field is missing or malformed.
        case invalidArgument = "INVALID_ARGUMENT"
        /// The current state forbids it (e.g. cancelling a completed leg).
        case failedPrecondition = "FAILED_PRECONDITION"
        /// The visit already has a booking with different content.
        case alreadyExists = "ALREADY_EXISTS"

        /// gRPC status number (`rpc-status`).
        public var grpcStatus: Int {
            switch self {
            case .invalidArgument: 3
            case .notFound: 5
            case .alreadyExists: 6
            case .failedPrecondition: 9
            }
        }
    }

    public var code: Code
    /// For `rpc-message` / `dlq-error`; no personal data.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
