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
