import ArgumentParser
import Foundation
import Logging
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire

/// `bench pipeline`: the runtime end to end (consume, dedupe, store, outbox, produce, commit) with the
/// reference handler, beside the raw limits of its necessary parts measured in the same run.
struct PipelineBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Worker throughput and latency vs raw consume, raw produce and raw store.",
        discussion: """
            1. Pre-produces --messages EnrollmentEvents and lets one worker (ExampleHandler) process them all: \
            events/s, from the first handled batch until the output topic holds the last output. 2. Offers --latency-messages more at --rate per second and measures publish-to-output \
            latency (p50/p99). 3. Measures the raw limits: a plain C consumer loop over the input topic, a plain \
            C producer loop, and the store written directly (inbox row, state upsert, outbox row per event, in \
            batches of --batch-size). ratio = events_per_s / min(raw_consume, raw_produce, raw_store).
            Examples:
              trialtransit bench pipeline --brokers 127.0.0.1:9092 --store sqlite
              trialtransit bench pipeline --store postgres --postgres-url postgres://postgres@127.0.0.1:5432/postgres
            """
    )

    enum StoreKind: String, ExpressibleByArgument, CaseIterable {
        case sqlite, postgres, none
    }

    @OptionGroup var broker: BrokerOptions

    @Option(help: "Events for the throughput run.")
    var messages = 100_000

    @Option(help: "Store: sqlite (a fresh file in the temp folder), postgres (--postgres-url) or none (in memory).")
    var store: StoreKind = .sqlite

    @Option(help: "PostgreSQL URL for --store postgres. Default: $TRIALTRANSIT_TEST_POSTGRES_URL.")
    var postgresURL: String?

    @Option(help: "Events per batch (one transaction).")
    var batchSize = 1_000

    @Option(help: "Offered rate for the latency run, events per second.")
    var rate = 2_000

    @Option(help: "Events for the latency run.")
    var latencyMessages = 4_000

    func validate() throws {
        guard messages > 0, batchSize > 0, rate > 0, latencyMessages > 0 else {
            throw ValidationError("--messages, --batch-size, --rate and --latency-messages must be positive")
        }
        if store == .postgres && (postgresURL ?? environment("TRIALTRANSIT_TEST_POSTGRES_URL")) == nil {
            throw ValidationError("--store postgres needs --postgres-url or TRIALTRANSIT_TEST_POSTGRES_URL")
        }
    }

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        var client = try broker.clientConfiguration(clientID: "bench-pipeline")
        client.receiveMessageMaxBytes = 2_147_483_647
        let run = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let input = "bench-pipeline-\(run).in"
        let output = "bench-pipeline-\(run).out"
        let topics = TransitTopics(prefix: "bench-pipeline-\(run).")
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        try await admin.createTopics([
            KafkaTopicSpecification(name: input, partitions: 1), KafkaTopicSpecification(name: output, partitions: 1),
            KafkaTopicSpecification(name: topics.deadLetters, partitions: 1),
        ])

        print("producing \(messages) events to \(input)")
        try await produceEvents(count: messages, prefix: "t", to: input, client: client, logger: logger, rate: nil)

        let (workerStore, cleanup) = try await openStore(logger: logger, label: "worker")
        defer { cleanup() }
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client, linger: .milliseconds(2)), logger: logger)
        let relay = OutboxRelay(store: workerStore, producer: producer, logger: logger)
        let worker = Worker(
            handler: ExampleHandler(inputTopic: input, outputTopic: output), store: workerStore, relay: relay, client: client,
            topics: topics, options: WorkerOptions(batchSize: batchSize, groupID: "bench-pipeline-\(run)"), logger: logger)
        let task = Task { try await worker.run() }
        let (events, seconds) = try await measureThroughput(worker: worker, output: output, client: client, logger: logger, task: task)
        let eventsPerSecond = Double(events) / seconds
        print("worker: \(events) events in \(format(seconds)) s = \(BenchFormat.rate(eventsPerSecond)) events/s (\(store.rawValue))")

        let (p50, p99) = try await measureLatency(input: input, output: output, client: client, logger: logger)
        print("latency at \(rate)/s: p50_ms=\(format(p50)) p99_ms=\(format(p99))")
        worker.stop()
        try await task.value
        try await producer.close()

        let consumeProperties = KafkaConsumerConfiguration(client: client).librdkafkaProperties.filter { $0.key != "group.id" }
        let rawConsume = try RawBaseline.consume(
            brokers: client.bootstrapServers.joined(separator: ","), topic: input, expected: messages, properties: consumeProperties
        ).rate
        let scratch = "bench-pipeline-\(run).raw"
        try await admin.createTopics([KafkaTopicSpecification(name: scratch, partitions: 1)])
        let rawProduce = try RawBaseline.produce(
            brokers: client.bootstrapServers.joined(separator: ","), topic: scratch, count: messages, size: 120,
            properties: KafkaProducerConfiguration(client: client).librdkafkaProperties
        ).rate
        let (rawStoreHandle, rawCleanup) = try await openStore(logger: logger, label: "raw")
        defer { rawCleanup() }
        let rawStore = try await StoreBenchmark.rawEventsPerSecond(store: rawStoreHandle, events: messages, batchSize: batchSize)
        print("raw: consume=\(BenchFormat.rate(rawConsume))/s produce=\(BenchFormat.rate(rawProduce))/s store=\(BenchFormat.rate(rawStore))/s")
        try? await admin.deleteTopics([input, output, scratch, topics.deadLetters])

        let limit = min(rawConsume, rawProduce, rawStore)
        print(
            "events_per_s=\(BenchFormat.rate(eventsPerSecond)) p50_ms=\(format(p50)) p99_ms=\(format(p99)) "
                + "raw_consume=\(BenchFormat.rate(rawConsume)) raw_produce=\(BenchFormat.rate(rawProduce)) "
                + "raw_store=\(BenchFormat.rate(rawStore)) ratio=\(BenchFormat.ratio(eventsPerSecond / limit))")
    }

    /// Waits until the output topic holds an output for every pre-produced event. The clock starts
    /// when the first batch is handled (joining the group before it is not throughput, and the raw
    /// consumer it is compared with assigns its partition directly) and stops when the broker holds
    /// the last output; the events of that first batch are not counted.
    private func measureThroughput(
        worker: Worker<ExampleHandler>, output: String, client: KafkaClientConfiguration, logger: Logger,
        task: Task<Void, any Error>
    ) async throws -> (events: Int, seconds: Double) {
        let watcher = try KafkaConsumer(configuration: KafkaConsumerConfiguration(client: client), logger: logger)
        do {
            let result = try await timeOutputs(worker: worker, output: output, watcher: watcher, task: task)
            try await watcher.close()
            return result
        } catch {
            try? await watcher.close()
            throw error
        }
    }

    private func timeOutputs(
        worker: Worker<ExampleHandler>, output: String, watcher: KafkaConsumer, task: Task<Void, any Error>
    ) async throws -> (events: Int, seconds: Double) {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(600)
        func check() async throws {
            guard clock.now < deadline else { throw ValidationError("the worker did not finish within 600 s") }
            if task.isCancelled { try await task.value }
        }
        while worker.stats.handled == 0 {
            try await check()
            try await Task.sleep(for: .milliseconds(1))
        }
        let start = clock.now
        let first = worker.stats.handled
        print("worker joined the group and handled its first batch (\(first) events); timing the rest")
        while try await watcher.watermarks(topic: output, partition: 0).high < Int64(messages) {
            try await check()
            try await Task.sleep(for: .milliseconds(2))
        }
        return (messages - first, (clock.now - start) / .seconds(1))
    }

    /// Publishes EnrollmentEvents; with `rate`, paced (for the latency run), each stamped with its send time.
    private func produceEvents(
        count: Int, prefix: String, to topic: String, client: KafkaClientConfiguration, logger: Logger, rate: Int?
    ) async throws {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client, linger: rate == nil ? .milliseconds(5) : .zero), logger: logger)
        let clock = ContinuousClock()
        let start = clock.now
        let chunk = rate == nil ? 10_000 : max(1, rate! / 100)
        var sent = 0
        while sent < count {
            let end = min(count, sent + chunk)
            try await producer.sendAndForget((sent..<end).map { index in
                var event = EnrollmentEvent()
                event.eventId = "\(prefix)-\(index)"
                event.patientRef = "p-\(index % 1_000)"
                event.source = "bench"
                event.occurredAt = RPCClock.nowMilliseconds()
                event.body = .visitCompleted(VisitCompleted(visitId: "v-\(index)"))
                return KafkaProducerMessage(topic: topic, key: event.patientRef, value: event.wireBytes())
            })
            sent = end
            if let rate {
                let due = start + .seconds(Double(sent) / Double(rate))
                if due > clock.now { try await Task.sleep(until: due, clock: clock) }
            }
        }
        try await producer.flush(timeout: .seconds(120))
        try await producer.close()
    }

    /// Offers events at `rate` and measures publish -> output arrival per event.
    private func measureLatency(input: String, output: String, client: KafkaClientConfiguration, logger: Logger) async throws -> (Double, Double) {
        let consumer = try KafkaConsumer(configuration: KafkaConsumerConfiguration(client: client, fetchWaitMax: .milliseconds(5)), logger: logger)
        let high = try await consumer.watermarks(topic: output, partition: 0).high
        try consumer.assign([KafkaTopicPartitionOffset(topic: output, partition: 0, offset: high)])
        let publisher = Task { try await produceEvents(count: latencyMessages, prefix: "l", to: input, client: client, logger: logger, rate: rate) }
        var latencies: [Double] = []
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(Double(latencyMessages) / Double(rate) + 60)
        while latencies.count < latencyMessages && clock.now < deadline {
            let batch = try await consumer.poll(timeout: .milliseconds(50))
            let now = RPCClock.nowMilliseconds()
            for message in batch {
                guard let event = try? TrialAccessEvent(wireBytes: message.value), event.eventId.hasPrefix("l-") else { continue }
                // ExampleHandler carries the input's occurred_at (its send time here) to the output.
                latencies.append(Double(now - event.occurredAt))
            }
        }
        try await publisher.value
        try await consumer.close()
        guard !latencies.isEmpty else { throw ValidationError("no outputs arrived in the latency run") }
        let sorted = latencies.sorted()
        return (sorted[sorted.count / 2], sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))])
    }

    private func openStore(logger: Logger, label: String) async throws -> (any TransitStore, @Sendable () -> Void) {
        switch store {
        case .none:
            return (InMemoryStore(), {})
        case .sqlite:
            let path = NSTemporaryDirectory() + "bench-pipeline-\(label)-\(UInt64.random(in: 0...UInt64.max)).sqlite"
            let sqlite = try SQLiteStore(path: path, logger: logger)
            try await sqlite.migrate()
            return (sqlite, { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } })
        case .postgres:
            let postgres = try PostgresStore(url: postgresURL ?? environment("TRIALTRANSIT_TEST_POSTGRES_URL")!, logger: logger)
            try await postgres.migrate()
            return (postgres, {})
        }
    }

    private func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(String(hundredths % 100).leftPadded(to: 2))"
    }
}
