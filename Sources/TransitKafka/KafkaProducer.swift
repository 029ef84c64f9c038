import CRdKafka
import CRdKafkaShim
import Dispatch
import Logging
import TransitBlocking
import Synchronization

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
        client = try RDKafkaClient(kind: .producer, properties: configuration.properties, context: context) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf, deliveryReportCallback)
        }
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
        try await enqueue(message, tracker: tracker)
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
    /// refuses fails the group: `wait()` throws it.
    public func enqueue(_ messages: [KafkaProducerMessage]) async throws -> KafkaDeliveryGroup {
        let tracker = DeliveryTracker(count: messages.count)
        for (index, message) in messages.enumerated() {
            do {
                try await enqueue(message, tracker: tracker)
            } catch let error as KafkaError {
                // The ones not enqueued will never report: account for them now.
                tracker.complete(.failure(error))
                for _ in (index + 1)..<messages.count { tracker.complete(.failure(error)) }
                break
            }
        }
        return KafkaDeliveryGroup(tracker: tracker)
    }

    /// Enqueues messages without waiting for their delivery. Failures are logged and counted in
    /// ``failedDeliveryCount``; call ``flush(timeout:)`` to wait for everything enqueued.
    public func sendAndForget(_ messages: some Sequence<KafkaProducerMessage>) async throws {
        for message in messages { try await enqueue(message, tracker: nil) }
    }

    /// Messages sent with ``sendAndForget(_:)`` whose delivery failed so far.
    public var failedDeliveryCount: Int { client.context.failedDeliveries.load(ordering: .relaxed) }

    /// Waits until every enqueued message has a delivery report, or throws ``KafkaError/Code/timedOut``.
    public func flush(timeout: Duration) async throws {
        let client = self.client
        try await blocking.run {
            let err = rd_kafka_flush(client.handle, Int32(clamping: timeout.milliseconds))
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                let pending = rd_kafka_outq_len(client.handle)
                throw client.error(err, "flush: \(pending) messages still in flight after \(timeout)")
            }
        }
    }

    /// Flushes (up to `timeout`) and stops the poll loop. Further sends throw ``KafkaError/Code/closed``.
    public func close(timeout: Duration = .seconds(10)) async throws {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        defer { pollLoop.stop() }
        try await flush(timeout: timeout)
    }

    private func enqueue(_ message: KafkaProducerMessage, tracker: DeliveryTracker?) async throws {
        if closed.load(ordering: .relaxed) { throw KafkaError.closed() }
        while true {
            let err = produceOnce(message, tracker: tracker)
            if err == RD_KAFKA_RESP_ERR_NO_ERROR { return }
            if err == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                // The poll loop drains delivery reports; give it a moment rather than spinning.
                try await Task.sleep(for: .milliseconds(1))
                continue
            }
            if let fatal = client.fatalError() { throw fatal }
            throw client.error(err, "produce to \(message.topic)")
        }
    }

    /// One `rd_kafka_producev` call. The tracker gets one retain per enqueued message, released by
    /// the delivery callback; when librdkafka refuses the message the retain is dropped here.
    private func produceOnce(_ message: KafkaProducerMessage, tracker: DeliveryTracker?) -> rd_kafka_resp_err_t {
        let opaque = tracker.map { Unmanaged.passRetained($0).toOpaque() }
        let headers = Self.makeHeaders(message.headers)
        let err = message.value.withUnsafeBytes { value in
            withOptionalBytes(message.key) { key in
                tt_produce(
                    client.handle, message.topic, message.partition ?? -1,
                    key?.baseAddress, key?.count ?? 0, value.baseAddress, value.count,
                    headers, message.timestamp ?? 0, opaque)
            }
        }
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            if let headers { rd_kafka_headers_destroy(headers) }  // still ours when producev fails
            if let opaque { Unmanaged<DeliveryTracker>.fromOpaque(opaque).release() }
        }
        return err
    }

    private static func makeHeaders(_ headers: [KafkaHeader]) -> OpaquePointer? {
        guard !headers.isEmpty else { return nil }
        let list = rd_kafka_headers_new(headers.count)
        for header in headers {
            if let value = header.value {
                value.withUnsafeBytes { bytes in
                    _ = rd_kafka_header_add(list, header.name, -1, bytes.baseAddress, bytes.count)
                }
            } else {
                _ = rd_kafka_header_add(list, header.name, -1, nil, 0)
            }
        }
        return list
    }
}

private func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { body($0) }
}

/// The delivery of a group of messages handed to ``KafkaProducer/enqueue(_:)``.
public struct KafkaDeliveryGroup: Sendable {
    fileprivate let tracker: DeliveryTracker

    /// Returns once every message of the group is acknowledged; throws the first delivery failure
    /// (after all reports arrived).
    public func wait() async throws {
        _ = try await tracker.wait()
    }
}

/// Serves the producer's delivery reports and error callbacks on a dedicated thread.
final class PollLoop: Sendable {
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)

    init(client: RDKafkaClient) {
        let queue = DispatchQueue(label: "trialtransit.kafka.producer.poll")
        queue.async { [self] in
            while running.load(ordering: .relaxed) {
                rd_kafka_poll(client.handle, 50)
            }
            rd_kafka_poll(client.handle, 0)
            finished.signal()
        }
    }

    /// Stops the loop and waits for it to exit (at most one poll interval).
    func stop() {
        if running.exchange(false, ordering: .acquiringAndReleasing) { finished.wait() }
    }
}
