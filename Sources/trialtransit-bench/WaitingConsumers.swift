import Logging
import TransitKafka

/// Consumers that wait at the end of an empty topic of their own, each polling it as an idle
/// subscriber does, for the length of a baseline run: in `bench transport` the simulated partner
/// waits for offers and the worker for the partner's answers. The local broker answers a fetch at
/// the end of a partition at once (docs/ARCHITECTURE.md, "Local broker and its quirks"), so each
/// fetches in a tight loop and takes CPU from the run beside it.
final class WaitingConsumers {
    private let admin: KafkaAdmin
    private let topic: String
    private var consumers: [KafkaConsumer]
    private var polling: [Task<Void, Never>]

    init(count: Int, topic: String, client: KafkaClientConfiguration, logger: Logger) async throws {
        admin = try KafkaAdmin(configuration: client, logger: logger)
        self.topic = topic
        try await admin.createTopics([KafkaTopicSpecification(name: topic, partitions: 1)])
        var consumers: [KafkaConsumer] = []
        do {
            for _ in 0..<count {
                let consumer = try KafkaConsumer(
                    configuration: KafkaConsumerConfiguration(client: client, fetchWaitMax: .milliseconds(20)), logger: logger)
                consumers.append(consumer)
                try consumer.assign([KafkaTopicPartitionOffset(topic: topic, partition: 0, offset: KafkaOffset.end)])
            }
        } catch {
            for consumer in consumers { try? await consumer.close() }
            consumers = []
            try? await admin.deleteTopics([topic])
            throw error
        }
        self.consumers = consumers
        polling = consumers.map { consumer in
            Task {
                while !Task.isCancelled {
                    guard (try? await consumer.poll(timeout: .milliseconds(100))) != nil else { return }
                }
            }
        }
    }

    /// Stops polling, closes and releases the consumers, then deletes the topic (best effort). The
    /// consumers go first: librdkafka 2.0.2 could hang destroying a consumer whose assigned topic
    /// had been deleted (three runs in thirteen).
    func stop() async {
        for task in polling { task.cancel() }
        for task in polling { await task.value }
        polling = []
        for consumer in consumers { try? await consumer.close() }
        consumers = []
        try? await admin.deleteTopics([topic])
    }
}
