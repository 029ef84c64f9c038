import Logging
import TransitKafka
import TransitTestSupport
import Testing

/// Closing a consumer while its group is still moving partitions — right after a broker restart,
/// during a rebalance — must never abort the process. librdkafka 2.0.2 asserts
/// (`rd_kafka_cgrp_terminated: !rd_kafka_assignment_in_progress`) when its group terminates with an
/// assignment operation in flight; ``KafkaConsumer/close()`` leaves the group first.
@Suite("Closing consumers during rebalances", .timeLimit(.minutes(8)))
struct ConsumerCloseTests {
    @Test func closingDuringRebalancesRightAfterBrokerRestartsNeverAborts() async throws {
        let broker = try await OwnBroker.start()
        do {
            try await closeDuringRebalances(broker)
        } catch {
            await broker.stop()
            throw error
        }
        await broker.stop()
    }

    /// An asynchronous commit still unanswered when ``KafkaConsumer/close()`` is called is waited
    /// for, so it lands; a commit after closing began is refused rather than served by a group
    /// that is terminating.
    @Test func closeWaitsForCommitsInFlightAndRefusesLaterOnes() async throws {
        let topic = try await TestKafka.topic("close-commit", partitions: 2)
        let group = TestKafka.unique("close-commit")
        try await TestKafka.produce(40, to: topic)
        let consumer = try TestKafka.consumer(group: group)
        try consumer.subscribe(topics: [topic])
        var read = 0
        var stored: [KafkaTopicPartitionOffset] = []
        try await waitUntil("all 40 messages read", saw: { "\(read) read" }) {
            let batch = try await consumer.poll(timeout: .milliseconds(200))
            try consumer.store(batch)
            read += batch.count
            stored = Self.merged(stored, batch.nextOffsets)
            return read == 40
        }
        try consumer.commitAsync()
        try await consumer.close()
        #expect(throws: KafkaError.self) { try consumer.commitAsync() }
        await #expect(throws: KafkaError.self) { try await consumer.commit() }

        let reader = try TestKafka.consumer(group: group)
        let committed = try await reader.committed(stored.map { KafkaTopicPartition(topic: $0.topic, partition: $0.partition) })
        try await reader.close()
        #expect(Set(committed) == Set(stored), "the commit started before close landed")
    }

    /// The highest next offset per partition of `old` and `new`.
    private static func merged(_ old: [KafkaTopicPartitionOffset], _ new: [KafkaTopicPartitionOffset]) -> [KafkaTopicPartitionOffset] {
        var byPartition: [KafkaTopicPartition: Int64] = [:]
        for offset in old + new {
            let key = KafkaTopicPartition(topic: offset.topic, partition: offset.partition)
            byPartition[key] = max(byPartition[key] ?? 0, offset.offset)
        }
        return byPartition.map { KafkaTopicPartitionOffset(topic: $0.key.topic, partition: $0.key.partition, offset: $0.value) }
    }

    private func closeDuringRebalances(_ broker: OwnBroker) async throws {
        let client = broker.client
        let logger = TestEnvironment.logger("close-test", level: .critical)
        let topic = uniqueName("test-close")
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        try await admin.createTopics([KafkaTopicSpecification(name: topic, partitions: 4)])
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client, linger: .zero), logger: logger)
        try await producer.send((0..<200).map { KafkaProducerMessage(topic: topic, key: "k-\($0)", value: [1]) })
        try await producer.close()

        func member(_ group: String) throws -> KafkaConsumer {
            let consumer = try KafkaConsumer(
                configuration: KafkaConsumerConfiguration(client: client, groupID: group, sessionTimeout: .seconds(6)),
                logger: logger)
            try consumer.subscribe(topics: [topic])
            return consumer
        }

        let rounds = 9
        var closed = 0
        for round in 0..<rounds {
            let group = uniqueName("close-\(round)")
            let first = try member(group)
            // The first member holds partitions and has stored offsets to commit on revocation.
            try await waitUntil("the first member's assignment in round \(round)") {
                let batch = try await first.poll(timeout: .milliseconds(100))
                try first.store(batch)
                return try !first.assignment().isEmpty
            }
            // A second member joins: the group rebalances.
            let second = try member(group)
            _ = try await (first.poll(timeout: .milliseconds(50)), second.poll(timeout: .milliseconds(50)))
            try? first.commitAsync()
            try? second.commitAsync()
            switch round % 3 {
            case 0:
                // Close in the middle of the rebalance, commits in flight.
                async let closeFirst: Void = first.close()
                async let closeSecond: Void = second.close()
                _ = try? await (closeFirst, closeSecond)
            case 1:
                // Close right after a broker restart, while the group re-forms.
                try await broker.restart()
                _ = try? await (first.poll(timeout: .milliseconds(50)), second.poll(timeout: .milliseconds(50)))
                async let closeFirst: Void = first.close()
                async let closeSecond: Void = second.close()
                _ = try? await (closeFirst, closeSecond)
            default:
                // Close while the broker goes away, commits in flight (where the abort was first seen).
                async let stopping: Void = broker.stopKeepingData()
                async let closeFirst: Void = first.close()
                async let closeSecond: Void = second.close()
                _ = try? await (closeFirst, closeSecond)
                try await stopping
                try await broker.startAgain()
            }
            closed += 2
        }
        // Reaching this line is the point: the process was not aborted.
        #expect(closed == 2 * rounds)
    }
}
