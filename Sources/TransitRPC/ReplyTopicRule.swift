/// Which topics an RPC server may write replies to (docs/CONTRACT.md §6): the deployment's topic
/// prefix, then `pattern`, whose one `*` stands for a client id of 1 to 128 characters from
/// `[A-Za-z0-9_-]`. The default pattern `rpc.replies.*` admits `rpc.replies.<client-id>` only, so a
/// request cannot make a server write into a partner, event, request or audit topic.
public struct ReplyTopicRule: Sendable, Hashable, CustomStringConvertible {
    /// The contract's pattern: `rpc.replies.*`.
    public static let defaultPattern = "rpc.replies.*"
    /// The contract's rule.
    public static let standard = ReplyTopicRule(validPattern: defaultPattern)
    /// Longest client id the rule admits.
    public static let maxClientIDLength = 128

    /// The pattern, without the deployment prefix.
    public let pattern: String
    private let head: String
    private let tail: String

    /// A rule for `pattern`: characters of Kafka topic names (`[A-Za-z0-9._-]`) and exactly one `*`
    /// (the client id). Nil for any other pattern.
    public init?(pattern: String) {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false)
        guard parts.count == 2, pattern.utf8.allSatisfy({ $0 == UInt8(ascii: "*") || Self.isTopicByte($0) }) else {
            return nil
        }
        self.init(validPattern: pattern)
    }

    private init(validPattern pattern: String) {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false)
        self.pattern = pattern
        self.head = String(parts[0])
        self.tail = String(parts[1])
    }

    /// Whether a server may reply to `topic` in a deployment whose topic prefix is `prefix`.
    public func allows(_ topic: String, prefix: String) -> Bool {
        let bytes = Array(topic.utf8)
        let head = Array((prefix + self.head).utf8)
        let tail = Array(self.tail.utf8)
        guard bytes.count <= 249, bytes.count > head.count + tail.count,
            bytes.starts(with: head), bytes.reversed().starts(with: tail.reversed())
        else { return false }
        let clientID = bytes[head.count..<(bytes.count - tail.count)]
        return clientID.count <= Self.maxClientIDLength && clientID.allSatisfy(Self.isClientIDByte)
    }

    /// The reply topic of `clientID` under this rule, or nil when `clientID` is not a valid client id.
    public func topic(clientID: String, prefix: String) -> String? {
        let topic = prefix + head + clientID + tail
        return allows(topic, prefix: prefix) ? topic : nil
    }

    public var description: String { pattern }

    static func isClientIDByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    static func isTopicByte(_ byte: UInt8) -> Bool { isClientIDByte(byte) || byte == UInt8(ascii: ".") }
}
