/// Why bytes or JSON text could not become a message, or a type name is unknown.
///
/// Never retriable: the same input fails the same way every time, so a consumer dead-letters it.
/// `message` names message types and fields only, never field values (no personal data).
public struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Machine-readable category; `rawValue` is stable.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// Not a valid encoding of the expected message: truncated, random, or wrong wire types.
        case truncatedOrInvalid
        /// Larger than `WireLimits.maxMessageBytes`; rejected before any parsing.
        case tooLarge
        /// No message type has the given full proto name.
        case unknownMessageType
        /// Malformed JSON, or JSON that does not fit the message (unknown field, wrong type).
        case invalidJSON
    }

    /// What went wrong.
    public var code: Code
    /// Human-readable detail (type and field names, never values).
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Always `false`: decoding the same input again fails again.
    public var isRetriable: Bool { false }

    public var description: String { "\(code.rawValue): \(message)" }
}
