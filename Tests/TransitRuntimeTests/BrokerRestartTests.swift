import Foundation
import TransitDemo
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire
import Testing
import TransitTestSupport

/// A graceful broker restart in the middle of a stream, on a broker of the test's own.
@Suite("Broker restart", .timeLimit(.minutes(5)))
struct BrokerRestartTests {
    @Test func workerReconnectsAfterABrokerRestartAndFinishesWithNothingLostOrDoubled() async throws {
        let broker = try await OwnBroker.start()
        do {
            try await restartMidStream(broker)
        } catch {
            await broker.stop()
            throw error
        }
        await broker.stop()
    }

    private func restartMidStream(_ broker: OwnBroker) async throws {
        let client = KafkaClientConfiguration.localBroker([broker.address])
        let logger = RuntimeTestSupport.logger
        let base = RuntimeTestSupport.unique("restart")
        let (input, output) = (base + ".in", base + ".out")
        let topics = TransitTopics(prefix: base + ".")
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        try await admin.createTopics([
            KafkaTopicSpecification(name: input, partitions: 2), KafkaTopicSpecification(name: output, partitions: 2),
            KafkaTopicSpecification(name: topics.deadLetters, partitions: 1),
        ])
        let path = RuntimeTestSupport.sqlitePath()
        defer { RuntimeTestSupport.removeSQLite(path) }
        let store = try SQLiteStore(path: path, logger: logger)
        try await store.migrate()
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client, linger: .milliseconds(1)), logger: logger)
        let worker = Worker(
            handler: ExampleHandler(inputTopic: input, outputTopic: output), store: store,
            relay: OutboxRelay(store: store, producer: producer, backoff: Backoff(initial: .milliseconds(50), maximum: .seconds(1)), logger: logger),
            client: client, topics: topics, options: WorkerOptions(batchSize: 100, backoff: Backoff(initial: .milliseconds(50), maximum: .seconds(1))),
            logger: logger)
        let task = Task { try await worker.run() }
        defer { task.cancel() }

        let total = 1_000
        let publisher = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: logger)
        func publish(_ range: Range<Int>) async throws {
            try await publisher.send(range.map {
                KafkaProducerMessage(topic: input, key: "p-\($0 % 20)", value: RuntimeTestSupport.event("b-\($0)", patient: "p-\($0 % 20)").wireBytes())
            })
        }
        try await publish(0..<500)
        try await waitForOutputs(client: client, topic: output, atLeast: 200)
        try await broker.restart()
        try await publish(500..<total)
        let seen = try await waitForOutputs(client: client, topic: output, atLeast: total)
        expectExactly(Array(seen), (0..<total).map { "b-\($0)/out" })
        #expect(try await RuntimeTestSupport.patientCounts(store, patients: 20) == Array(repeating: total / 20, count: 20))
        try await publisher.close()
        worker.stop()
        try await task.value
        try await producer.close()
    }

    /// Reads `topic` of the own broker until `atLeast` distinct output ids were seen (a fresh
    /// reader every 3 s, as a broker restart may leave one behind); throws with how many were seen.
    @discardableResult
    private func waitForOutputs(client: KafkaClientConfiguration, topic: String, atLeast: Int) async throws -> Set<String> {
        let clock = ContinuousClock()
        let start = clock.now
        var seen = Set<String>()
        while seen.count < atLeast {
            if clock.now - start > .seconds(180) {
                throw WaitTimeout(what: "\(atLeast) outputs on \(topic)", waited: clock.now - start, saw: "\(seen.count) distinct outputs")
            }
            let consumer = try KafkaConsumer(configuration: KafkaConsumerConfiguration(client: client), logger: RuntimeTestSupport.logger)
            try consumer.assign((0..<2).map { KafkaTopicPartitionOffset(topic: topic, partition: $0, offset: KafkaOffset.beginning) })
            let readUntil = clock.now + .seconds(3)
            while clock.now < readUntil && seen.count < atLeast {
                seen.formUnion(RuntimeTestSupport.outputIDs(Array(try await consumer.poll(timeout: .milliseconds(200)))))
            }
            try? await consumer.close()
        }
        return seen
    }
}
