import Logging
import TransitKafka
import TransitTestSupport
import TransitTime
import Testing

/// The local broker the test script started (`TRIALTRANSIT_BROKERS`), and per-test topics.
enum TestKafka {
    static var client: KafkaClientConfiguration { get throws { try TestEnvironment.client } }

    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }()

    /// Wall-clock time in unix milliseconds.
    static var nowMilliseconds: Int64 { SystemWallClock().nowMilliseconds() }

    /// A name no other test uses.
    static func unique(_ prefix: String) -> String { uniqueName(prefix) }

    /// Creates a fresh topic with `partitions` partitions and returns its name.
    static func topic(_ prefix: String, partitions: Int = 1) async throws -> String {
        let name = unique("test-\(prefix)")
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        try await admin.createTopics([KafkaTopicSpecification(name: name, partitions: partitions)])
        return name
    }

    static func producer() throws -> KafkaProducer {
        try KafkaProducer(configuration: KafkaProducerConfiguration(client: client, linger: .zero), logger: logger)
    }

    static func consumer(group: String?, hook: KafkaRebalanceHook? = nil, commitOnRevoke: Bool = true) throws -> KafkaConsumer {
        try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                client: client, groupID: group, commitOnRevoke: commitOnRevoke, sessionTimeout: .seconds(6)),
            rebalanceHook: hook, logger: logger)
    }

    /// Produces `count` messages `value-<i>` with keys `key-<i>` and waits for all acknowledgements.
    static func produce(_ count: Int, to topic: String, startingAt start: Int = 0) async throws {
        let producer = try producer()
        try await producer.send(
            (start..<(start + count)).map { KafkaProducerMessage(topic: topic, key: "key-\($0)", value: Array("value-\($0)".utf8)) })
        try await producer.close()
    }

    /// Polls until `count` messages arrived; throws ``WaitTimeout`` with how many did when
    /// `timeout` passes first.
    static func drain(_ consumer: KafkaConsumer, count: Int, timeout: Duration = .seconds(90), store: Bool = true)
        async throws -> [KafkaConsumerMessage]
    {
        var received: [KafkaConsumerMessage] = []
        let clock = ContinuousClock()
        let start = clock.now
        while received.count < count {
            if clock.now - start >= timeout {
                throw WaitTimeout(what: "\(count) messages", waited: clock.now - start, saw: "\(received.count) messages")
            }
            let batch = try await consumer.poll(maxMessages: count - received.count, timeout: .milliseconds(200))
            if store { try consumer.store(batch) }
            received += batch
        }
        return received
    }

    /// Polls until a message with key `key` arrived (a sentinel produced after the messages a
    /// test expects); returns everything polled, the sentinel included.
    static func drain(_ consumer: KafkaConsumer, untilKey key: String, timeout: Duration = .seconds(90)) async throws
        -> [KafkaConsumerMessage]
    {
        var received: [KafkaConsumerMessage] = []
        try await waitUntil("the sentinel \(key)", timeout: timeout, every: .zero, saw: { "\(received.count) messages" }) {
            let batch = try await consumer.poll(timeout: .milliseconds(200))
            try consumer.store(batch)
            received += batch
            return received.contains { $0.keyString == key }
        }
        return received
    }
}
