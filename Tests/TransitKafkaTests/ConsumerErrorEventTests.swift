import Logging
import Synchronization
import Testing
import TransitKafka

/// Consumer-level error events carry no topic; reading them must report them, not crash.
@Suite("Consumer error events", .timeLimit(.minutes(3)))
struct ConsumerErrorEventTests {
    /// A member that does not poll within max.poll.interval gets an error event without a topic
    /// (librdkafka `_MAX_POLL_EXCEEDED`): the next polls log it as a consumer error, and the
    /// consumer rejoins and goes on reading.
    @Test func maxPollIntervalExceededIsReportedAndTheConsumerGoesOn() async throws {
        let topic = try await TestKafka.topic("max-poll")
        try await TestKafka.produce(3, to: topic)
        let lines = LogLines()
        let logger = Logger(label: "max-poll") { _ in CollectingLogHandler(lines: lines) }
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                client: TestKafka.client, groupID: TestKafka.unique("g"), sessionTimeout: .seconds(6),
                maxPollInterval: .seconds(6)),
            logger: logger)
        try consumer.subscribe(topics: [topic])
        var read = 0
        let clock = ContinuousClock()
        var deadline = clock.now + .seconds(30)
        while read < 3 && clock.now < deadline {
            read += try await consumer.poll(timeout: .milliseconds(200)).count
        }
        #expect(read == 3)

        try await Task.sleep(for: .seconds(8))  // no poll for longer than max.poll.interval
        try await TestKafka.produce(2, to: topic, startingAt: 3)
        read = 0
        deadline = clock.now + .seconds(30)
        while read < 2 && clock.now < deadline {
            read += try await consumer.poll(timeout: .milliseconds(200)).count
        }
        #expect(read >= 2, "the consumer reads again after the error")
        #expect(lines.contains("consumer error"))
        try await consumer.close()
    }
}

/// Log messages, shared between the handler copies swift-log makes.
final class LogLines: Sendable {
    private let messages = Mutex<[String]>([])

    func append(_ message: String) { messages.withLock { $0.append(message) } }

    func contains(_ message: String) -> Bool { messages.withLock { $0.contains(message) } }
}

/// Records every message (any level) into ``LogLines``.
struct CollectingLogHandler: LogHandler {
    let lines: LogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.append(event.message.description)
    }
}
