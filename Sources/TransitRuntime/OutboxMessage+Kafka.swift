import TransitKafka
import TransitStore

extension OutboxMessage {
    /// The outbox row for a record to produce (a header without value is stored as empty).
    init(_ message: KafkaProducerMessage) {
        self.init(
            topic: message.topic, key: message.key, value: message.value,
            headers: message.headers.map { OutboxHeader(name: $0.name, value: $0.value ?? []) })
    }

    /// The record to produce for this outbox row.
    var producerMessage: KafkaProducerMessage {
        KafkaProducerMessage(
            topic: topic, key: key, value: value, headers: headers.map { KafkaHeader(name: $0.name, value: $0.value) })
    }
}
