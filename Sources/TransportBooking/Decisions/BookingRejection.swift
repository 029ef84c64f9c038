import TransitDomain

/// Why a command was refused. The message names ids and codes only, never personal data.
public struct BookingRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The codes both domains share; maps onto the gRPC status of an RPC reply.
    public typealias Code = RejectionCode

    public var code: Code
    /// For `rpc-message` / `dlq-error`; no personal data.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
