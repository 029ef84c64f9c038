import TransitKafka
import TransitRPC
import TransitStore

/// An outbox row the broker or producer refused for good (``KafkaError/isPermanent``), and what
/// becomes of it: a `PUBLISH_FAILED` dead letter, or, when it is a dead letter already, the dead
/// outbox.
struct UnpublishableOutput {
    var row: OutboxMessage
    var error: KafkaError

    /// The dead-letter code of an output that could not be published.
    static let code = "PUBLISH_FAILED"

    /// True when the row is itself a dead letter: refused again, it can only go to the dead outbox.
    func isDeadLetter(deadLetterTopic: String) -> Bool {
        row.topic == deadLetterTopic || row.headers.contains { $0.name == TransitHeaders.dlqErrorCode }
    }

    /// The row as a dead letter: original key, bytes and headers, plus the `dlq-*` headers. It was
    /// an output, not an input: the source is the intended topic (so a redrive publishes it there),
    /// with partition and offset -1, and `dlq-intended-topic` names the topic too.
    func deadLetter(topic: String, failedAt: Int64) -> OutboxMessage {
        let provenance: [(String, String)] = [
            (TransitHeaders.dlqSourceTopic, row.topic), (TransitHeaders.dlqSourcePartition, "-1"),
            (TransitHeaders.dlqSourceOffset, "-1"), (TransitHeaders.dlqConsumerGroup, "outbox-relay"),
            (TransitHeaders.dlqAttempts, "1"), (TransitHeaders.dlqErrorCode, Self.code), (TransitHeaders.dlqError, reason),
            (TransitHeaders.dlqFailedAt, String(failedAt)), (TransitHeaders.dlqIntendedTopic, row.topic),
        ]
        return OutboxMessage(
            topic: topic, key: row.key, value: row.value,
            headers: row.headers.filter { !$0.name.hasPrefix("dlq-") } + provenance.map { OutboxHeader(name: $0.0, value: Array($0.1.utf8)) },
            source: row.source)
    }

    /// Why it failed, for the dead letter and the dead outbox (the producer's words; no payload).
    var reason: String { "publishing to \(row.topic) failed for good: \(error.message)" }
}
