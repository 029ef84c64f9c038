import Logging
import TransitBlocking
import Synchronization
import TransitTime

/// Produces messages to Kafka through librdkafka.
///
/// ``send(_:)-(KafkaProducerMessage)`` completes when the broker acknowledged the message (its
/// delivery report); ``send(_:)-([KafkaProducerMessage])`` waits for a whole group with one
/// suspension; ``sendAndForget(_:)`` only enqueues, for throughput. Idempotence is on by default.
/// Delivery reports are served by a poll loop on a dedicated thread, never on the cooperative pool.
public final class KafkaProducer: Sendable {
    private let client: RDKafkaClient
    private let pollLoop: PollLoop
    private let blocking: BlockingExecutor
    private let closed = Atomic<Bool>(false)

    /// Creates the producer. Throws ``KafkaError/Code/invalidConfiguration`` with librdkafka's
    /// message when a property is unknown or invalid.
    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws {
        let context = RDKafkaClientContext(logger: logger)
        client = try RDKafkaClient.makeProducer(properties: configuration.properties, context: context)
        blocking = BlockingExecutor(label: "trialtransit.kafka.producer.blocking")
        pollLoop = PollLoop(client: client)
    }

    deinit {
        pollLoop.stop()
    }

    /// Looks up the partitions of `topics` now, so that the first send to each does not wait for
    /// them (librdkafka otherwise asks on first use and, for a topic the broker does not list yet,
    /// asks again only about a second later). Asks again every 50 ms for a topic not listed yet,
    /// up to `timeout`; returns the topics still unknown then (a send may still create them).
    @discardableResult
    public func prepare(topics: [String], timeout: Duration = .seconds(5)) async throws -> [String] {
        let client = self.client
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var unknown = Array(Set(topics)).sorted()
        while !unknown.isEmpty {
            let remaining = unknown
            unknown = try await blocking.run {
                try remaining.filter { topic in
                    let metadata = try client.metadata(topic: topic, timeout: .seconds(2)).topics
                    return !metadata.contains { $0.name == topic && $0.error == nil && !$0.partitions.isEmpty }
                }
            }
            if unknown.isEmpty || clock.now >= deadline { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return unknown
    }

    /// Sends one message and returns where it was written once the broker acknowledged it.
    @discardableResult
    public func send(_ message: KafkaProducerMessage) async throws -> KafkaDeliveryReport {
        let tracker = DeliveryTracker(count: 1)
        try await enqueue(message, tracker: tracker, index: 0)
        guard let report = try await tracker.wait() else {
            throw KafkaError(code: .other, message: "delivery report missing")
        }
        return report
    }

    /// Sends a group of messages and returns once every one is acknowledged. Throws the first
    /// delivery failure (after all reports arrived, so nothing is left in flight).
    public func send(_ messages: [KafkaProducerMessage]) async throws {
        try await enqueue(messages).wait()
    }

    /// Hands a group of messages to librdkafka, in order, and returns without waiting for the
    /// broker; ``KafkaDeliveryGroup/wait()`` waits for the acknowledgements. Groups enqueued one
    /// after the other keep their order (per partition, with idempotence). A message librdkafka
    /// refuses fails the group: `wait()` throws it, ``KafkaDeliveryGroup/failures()`` names it.
    /// A message refused for good (``KafkaError/isPermanent``, e.g. too large) fails alone and the
    /// rest are enqueued; after any other refusal nothing more of the group is enqueued.
    public func enqueue(_ messages: [KafkaProducerMessage]) async throws -> KafkaDeliveryGroup {
        let tracker = DeliveryTracker(count: messages.count)
        for (index, message) in messages.enumerated() {
            do {
                try await enqueue(message, tracker: tracker, index: index)
            } catch let error as KafkaError {
                tracker.complete(.failure(error), index: index)
                if error.isPermanent { continue }
                // The ones not enqueued will never report: account for them now.
                for later in (index + 1)..<messages.count { tracker.complete(.failure(error), index: later) }
                break
            }
        }
        return KafkaDeliveryGroup(tracker: tracker)
    }

    /// Enqueues messages without waiting for their delivery. Failures are logged and counted in
    /// ``failedDeliveryCount``; call ``flush(timeout:)`` to wait for everything enqueued.
    public func sendAndForget(_ messages: some Sequence<KafkaProducerMessage>) async throws {
        for message in messages { try await enqueue(message, tracker: nil, index: 0) }
    }

    /// Messages sent with ``sendAndForget(_:)`` whose delivery failed so far.
    public var failedDeliveryCount: Int { client.context.failedDeliveries.load(ordering: .relaxed) }

    /// Waits until every enqueued message has a delivery report, or throws ``KafkaError/Code/timedOut``.
    public func flush(timeout: Duration) async throws {
        let client = self.client
        try await blocking.run { try client.flush(timeout: timeout) }
    }

    /// Flushes (up to `timeout`) and stops the poll loop. Further sends throw ``KafkaError/Code/closed``.
    public func close(timeout: Duration = .seconds(10)) async throws {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        defer { pollLoop.stop() }
        try await flush(timeout: timeout)
    }

    private func enqueue(_ message: KafkaProducerMessage, tracker: DeliveryTracker?, index: Int) async throws {
        if closed.load(ordering: .relaxed) { throw KafkaError.closed() }
        while true {
            switch client.produce(message, ticket: tracker.map { DeliveryTicket(tracker: $0, index: index) }) {
            case .enqueued:
                return
            case .queueFull:
                // The poll loop drains delivery reports; give it a moment rather than spinning.
                try await Task.sleep(for: .milliseconds(1))
            case .refused(let error):
                throw error
            }
        }
    }
}

/// The delivery of a group of messages handed to ``KafkaProducer/enqueue(_:)``.
public struct KafkaDeliveryGroup: Sendable {
    fileprivate let tracker: DeliveryTracker

    /// Returns once every message of the group is acknowledged; throws the first delivery failure
    /// (after all reports arrived).
    public func wait() async throws {
        _ = try await tracker.wait()
    }

    /// Waits for every delivery report, like ``wait()``, and returns the messages that failed, in
    /// group order (empty when all were acknowledged).
    public func failures() async -> [KafkaDeliveryFailure] {
        await tracker.failures()
    }
}
