/// A gRPC status code, carried in the `rpc-status` header of replies. Unknown numbers are kept.
public struct RPCStatusCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let ok = RPCStatusCode(rawValue: 0)
    public static let cancelled = RPCStatusCode(rawValue: 1)
    public static let unknown = RPCStatusCode(rawValue: 2)
    public static let invalidArgument = RPCStatusCode(rawValue: 3)
    public static let deadlineExceeded = RPCStatusCode(rawValue: 4)
    public static let notFound = RPCStatusCode(rawValue: 5)
    public static let alreadyExists = RPCStatusCode(rawValue: 6)
    public static let permissionDenied = RPCStatusCode(rawValue: 7)
    public static let resourceExhausted = RPCStatusCode(rawValue: 8)
    public static let failedPrecondition = RPCStatusCode(rawValue: 9)
    public static let aborted = RPCStatusCode(rawValue: 10)
    public static let outOfRange = RPCStatusCode(rawValue: 11)
    public static let unimplemented = RPCStatusCode(rawValue: 12)
    public static let internalError = RPCStatusCode(rawValue: 13)
    public static let unavailable = RPCStatusCode(rawValue: 14)
    public static let dataLoss = RPCStatusCode(rawValue: 15)
    public static let unauthenticated = RPCStatusCode(rawValue: 16)

    private static let names: [Int32: String] = [
        0: "OK", 1: "CANCELLED", 2: "UNKNOWN", 3: "INVALID_ARGUMENT", 4: "DEADLINE_EXCEEDED", 5: "NOT_FOUND",
        6: "ALREADY_EXISTS", 7: "PERMISSION_DENIED", 8: "RESOURCE_EXHAUSTED", 9: "FAILED_PRECONDITION",
        10: "ABORTED", 11: "OUT_OF_RANGE", 12: "UNIMPLEMENTED", 13: "INTERNAL", 14: "UNAVAILABLE",
        15: "DATA_LOSS", 16: "UNAUTHENTICATED",
    ]

    /// The gRPC name, e.g. `DEADLINE_EXCEEDED`.
    public var name: String { Self.names[rawValue] ?? "UNKNOWN(\(rawValue))" }
    public var description: String { "\(rawValue) \(name)" }

    /// Whether a client may retry (with the same idempotency key).
    public var isRetriable: Bool { self == .deadlineExceeded || self == .unavailable || self == .resourceExhausted }
}

/// An RPC failure: thrown by handlers to choose the reply status, and by clients for a non-OK reply.
public struct RPCError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: RPCStatusCode
    /// Human-readable detail; sent in `rpc-message`, so it must never hold personal data.
    public var message: String

    public init(_ code: RPCStatusCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public static func invalidArgument(_ message: String) -> RPCError { RPCError(.invalidArgument, message) }
    public static func notFound(_ message: String) -> RPCError { RPCError(.notFound, message) }
    public static func failedPrecondition(_ message: String) -> RPCError { RPCError(.failedPrecondition, message) }
    public static func alreadyExists(_ message: String) -> RPCError { RPCError(.alreadyExists, message) }
    public static func resourceExhausted(_ message: String) -> RPCError { RPCError(.resourceExhausted, message) }
    public static func unavailable(_ message: String) -> RPCError { RPCError(.unavailable, message) }

    public var description: String { "RPCError(\(code)): \(message)" }
}
