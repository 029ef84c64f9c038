import Logging
import TransitKafka
import Testing

/// The local broker the test script started (`TRIALTRANSIT_BROKERS`), and per-test topics.
enum TestKafka {
    static var brokers: [String] {
        guard let value = getenvString("TRIALTRANSIT_BROKERS"), !value.isEmpty else {
            Issue.record("TRIALTRANSIT_BROKERS is not set: run the tests through scripts/test")
            return ["127.0.0.1:9092"]
        }
        return value.split(separator: ",").map(String.init)
    }

    static var client: KafkaClientConfiguration { .localBroker(brokers) }

    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }()

    /// Wall-clock time in unix milliseconds.
    static var nowMilliseconds: Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }

    /// A name no other test uses.
    static func unique(_ prefix: String) -> String {
        "\(prefix)-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
    }

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

    /// Polls until `count` messages arrived or `timeout` passed.
    static func drain(_ consumer: KafkaConsumer, count: Int, timeout: Duration = .seconds(30), store: Bool = true)
        async throws -> [KafkaConsumerMessage]
    {
        var received: [KafkaConsumerMessage] = []
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while received.count < count && clock.now < deadline {
            let batch = try await consumer.poll(maxMessages: count - received.count, timeout: .milliseconds(200))
            if store { try consumer.store(batch) }
            received += batch
        }
        return received
    }
}

#if canImport(Glibc)
import Glibc
#endif

func getenvString(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}
