/// An error raised by the Kafka layer.
///
/// Callers never see librdkafka's C types: the librdkafka error number is kept as ``rawCode`` and
/// classified into a ``Code`` plus ``isRetriable`` and ``isFatal``.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. New codes may be added; switch with a `default` case.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Sendable {
            case invalidConfiguration, connection, authentication, timedOut, messageTooLarge, queueFull, unknownTopic,
                rebalance, offset, fatal, closed, broker, other
        }
        fileprivate let base: Base

        /// A configuration property is unknown or has an invalid value.
        public static let invalidConfiguration = Code(base: .invalidConfiguration)
        /// No broker could be reached, or the connection broke.
        public static let connection = Code(base: .connection)
        /// A TLS or SASL handshake with a broker failed (its certificate, our certificate, the host
        /// name, the credentials): a configuration problem that retrying does not fix.
        public static let authentication = Code(base: .authentication)
        /// An operation did not finish within its timeout.
        public static let timedOut = Code(base: .timedOut)
        /// A message is larger than the client or broker accepts.
        public static let messageTooLarge = Code(base: .messageTooLarge)
        /// The local producer queue is full.
        public static let queueFull = Code(base: .queueFull)
        /// The topic or partition does not exist.
        public static let unknownTopic = Code(base: .unknownTopic)
        /// A rebalance interrupted the operation (e.g. a commit for revoked partitions).
        public static let rebalance = Code(base: .rebalance)
        /// An offset is out of range or invalid.
        public static let offset = Code(base: .offset)
        /// The client hit a fatal error and must be recreated.
        public static let fatal = Code(base: .fatal)
        /// The client was already closed.
        public static let closed = Code(base: .closed)
        /// The broker returned an error.
        public static let broker = Code(base: .broker)
        /// Anything else.
        public static let other = Code(base: .other)

        public var description: String { base.rawValue }
    }

    /// The classified failure.
    public var code: Code
    /// What failed, in words (librdkafka's own message where there is one).
    public var message: String
    /// librdkafka's `rd_kafka_resp_err_t` value, when the error came from librdkafka.
    public var rawCode: Int32?
    /// True when the same operation may succeed if tried again later (broker or network trouble).
    public var isRetriable: Bool
    /// True when the client cannot be used any more and must be recreated.
    public var isFatal: Bool
    /// True when a send failed for a reason that sending the same message again cannot fix: it is
    /// too large, its topic is invalid, does not exist (and is not created on use) or may not be
    /// written. Such a message is dead-lettered instead of retried. Broker outages, time-outs and a
    /// full queue are not permanent.
    public var isPermanent: Bool {
        guard let rawCode else { return code == .messageTooLarge }
        return Self.isPermanent(rawCode: rawCode)
    }
    /// Where the error was thrown.
    public var location: String

    public init(
        code: Code, message: String, rawCode: Int32? = nil, isRetriable: Bool = false, isFatal: Bool = false,
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.rawCode = rawCode
        self.isRetriable = isRetriable
        self.isFatal = isFatal
        self.location = "\(file):\(line)"
    }

    public var description: String {
        var text = "KafkaError(\(code)): \(message)"
        if let rawCode { text += " [rd_kafka_resp_err \(rawCode)]" }
        return text
    }
}

extension KafkaError {
    static func invalidConfiguration(_ message: String, file: String = #fileID, line: Int = #line) -> KafkaError {
        KafkaError(code: .invalidConfiguration, message: message, file: file, line: line)
    }

    static func closed(file: String = #fileID, line: Int = #line) -> KafkaError {
        KafkaError(code: .closed, message: "the client is closed", file: file, line: line)
    }
}
