import TransitKafka

/// Publishes the records a replay or redrive selected, in order, at an optional rate; on a dry run
/// prints each one as a JSON line instead and sends nothing.
///
/// Records are enqueued in order (so per-key order is kept) in small groups and each group is
/// flushed before the next; failures are counted from the producer's failed deliveries.
final class Republisher {
    private let producer: KafkaProducer?
    private let ratePerSecond: Double?
    private let render: ((KafkaProducerMessage) -> String)?
    private var pending: [KafkaProducerMessage] = []
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private let flushTimeout: Duration
    private(set) var published = 0
    private(set) var failed = 0
    private var enqueued = 0

    /// A republisher that sends through `producer`.
    init(producer: KafkaProducer, ratePerSecond: Double?, flushTimeout: Duration) {
        self.producer = producer
        self.ratePerSecond = ratePerSecond
        self.flushTimeout = flushTimeout
        render = nil
        start = clock.now
    }

    /// A dry-run republisher that prints `render(message)` for each record.
    init(dryRunRender: @escaping (KafkaProducerMessage) -> String) {
        producer = nil
        ratePerSecond = nil
        flushTimeout = .zero
        render = dryRunRender
        start = clock.now
    }

    private var groupSize: Int {
        guard let ratePerSecond else { return 200 }
        return max(1, min(200, Int(ratePerSecond / 10)))
    }

    /// Adds a record; sends the group when it is full.
    func add(_ message: KafkaProducerMessage) async throws {
        if let render {
            print(render(message))
            published += 1
            return
        }
        pending.append(message)
        if pending.count >= groupSize { try await send() }
    }

    /// Sends what is pending.
    func finish() async throws {
        if render == nil { try await send() }
    }

    private func send() async throws {
        guard let producer, !pending.isEmpty else { return }
        if let ratePerSecond, ratePerSecond > 0 {
            // Group i may start once i/rate seconds have passed.
            let due = start + .milliseconds(Int64(Double(enqueued) / ratePerSecond * 1000))
            if clock.now < due { try await Task.sleep(until: due, clock: clock) }
        }
        let failedBefore = producer.failedDeliveryCount
        let group = pending
        pending.removeAll(keepingCapacity: true)
        enqueued += group.count
        try await producer.sendAndForget(group)
        try await producer.flush(timeout: flushTimeout + .seconds(5))
        let newlyFailed = producer.failedDeliveryCount - failedBefore
        failed += newlyFailed
        published += group.count - newlyFailed
    }
}
