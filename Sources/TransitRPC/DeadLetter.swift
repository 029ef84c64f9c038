import TransitKafka

/// A record that can never be processed, with its provenance, as it goes to `trialtransit.dlq.v1`:
/// original key, bytes and headers, plus the `dlq-*` headers of the contract.
public struct DeadLetter: Sendable {
    public var message: KafkaConsumerMessage
    public var group: String
    public var attempts: Int
    /// Machine code, e.g. `DECODE_FAILED`, `NO_BODY`, `INVALID`, `UNKNOWN_REFERENCE`, `NO_REPLY_TO`.
    public var code: String
    /// Human-readable reason; never personal data.
    public var reason: String
    public var failedAt: Int64

    public init(message: KafkaConsumerMessage, group: String, attempts: Int, code: String, reason: String, failedAt: Int64) {
        self.message = message
        self.group = group
        self.attempts = attempts
        self.code = code
        self.reason = reason
        self.failedAt = failedAt
    }

    /// Original headers (earlier `dlq-*` ones replaced) followed by the provenance headers.
    public var headers: [KafkaHeader] {
        message.headers.filter { !$0.name.hasPrefix("dlq-") } + [
            KafkaHeader(name: TransitHeaders.dlqSourceTopic, string: message.topic),
            KafkaHeader(name: TransitHeaders.dlqSourcePartition, string: String(message.partition)),
            KafkaHeader(name: TransitHeaders.dlqSourceOffset, string: String(message.offset)),
            KafkaHeader(name: TransitHeaders.dlqConsumerGroup, string: group),
            KafkaHeader(name: TransitHeaders.dlqAttempts, string: String(attempts)),
            KafkaHeader(name: TransitHeaders.dlqErrorCode, string: code),
            KafkaHeader(name: TransitHeaders.dlqError, string: reason),
            KafkaHeader(name: TransitHeaders.dlqFailedAt, string: String(failedAt)),
        ]
    }

    /// The dead letter as a record for the DLQ topic, keyed by the original key.
    public func producerMessage(topics: TransitTopics) -> KafkaProducerMessage {
        KafkaProducerMessage(
            topic: topics.deadLetters, key: message.key.map(Array.init), value: Array(message.value), headers: headers)
    }
}
