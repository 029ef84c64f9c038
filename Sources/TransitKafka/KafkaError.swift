import CRdKafka

/// An error raised by the Kafka layer.
///
/// Callers never see librdkafka's C types: the librdkafka error number is kept as ``rawCode`` and
/// classified into a ``Code`` plus ``isRetriable`` and ``isFatal``.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is. New codes may be added; switch with a `default` case.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Sendable {
            case invalidConfiguration, connection, timedOut, messageTooLarge, queueFull, unknownTopic,
                rebalance, offset, fatal, closed, broker, other
        }
        fileprivate let base: Base

        /// A configuration property is unknown or has an invalid value.
        public static let invalidConfiguration = Code(base: .invalidConfiguration)
        /// No broker could be reached, or the connection broke.
        public static let connection = Code(base: .connection)
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
        return Self.permanent.contains(rawCode)
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
    /// Wraps a librdkafka error number, with an optional context prefix for the message.
    init(rdError: rd_kafka_resp_err_t, context: String? = nil, file: String = #fileID, line: Int = #line) {
        let text = String(cString: rd_kafka_err2str(rdError))
        self.init(
            code: Self.classify(rdError),
            message: context.map { "\($0): \(text)" } ?? text,
            rawCode: rdError.rawValue,
            isRetriable: Self.retriable.contains(rdError),
            isFatal: rdError == RD_KAFKA_RESP_ERR__FATAL,
            file: file,
            line: line
        )
    }

    static func invalidConfiguration(_ message: String, file: String = #fileID, line: Int = #line) -> KafkaError {
        KafkaError(code: .invalidConfiguration, message: message, file: file, line: line)
    }

    static func closed(file: String = #fileID, line: Int = #line) -> KafkaError {
        KafkaError(code: .closed, message: "the client is closed", file: file, line: line)
    }

    /// librdkafka error numbers that refuse one message for good (``isPermanent``).
    private static let permanent: Set<Int32> = Set(
        [
            RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE,
            RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC,
            RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION, RD_KAFKA_RESP_ERR_INVALID_RECORD, RD_KAFKA_RESP_ERR_POLICY_VIOLATION,
            RD_KAFKA_RESP_ERR__INVALID_ARG,
        ].map(\.rawValue))

    private static let retriable: Set<rd_kafka_resp_err_t> = [
        RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__TIMED_OUT,
        RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR__RESOLVE,
        RD_KAFKA_RESP_ERR__WAIT_COORD, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
        RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS,
        RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
        RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND, RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS,
        RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
    ]

    private static func classify(_ error: rd_kafka_resp_err_t) -> Code {
        switch error {
        case RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__RESOLVE,
            RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION, RD_KAFKA_RESP_ERR__SSL, RD_KAFKA_RESP_ERR__AUTHENTICATION:
            return .connection
        case RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
            RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE:
            return .timedOut
        case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE, RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE:
            return .messageTooLarge
        case RD_KAFKA_RESP_ERR__QUEUE_FULL:
            return .queueFull
        case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
            RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
            return .unknownTopic
        case RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS, RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION,
            RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID, RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS,
            RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS, RD_KAFKA_RESP_ERR__STATE:
            return .rebalance
        case RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE, RD_KAFKA_RESP_ERR__INVALID_ARG, RD_KAFKA_RESP_ERR__NO_OFFSET:
            return .offset
        case RD_KAFKA_RESP_ERR__FATAL:
            return .fatal
        case RD_KAFKA_RESP_ERR__DESTROY:
            return .closed
        default:
            return error.rawValue > 0 ? .broker : .other
        }
    }
}

