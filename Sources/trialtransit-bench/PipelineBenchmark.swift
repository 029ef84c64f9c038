import ArgumentParser
import Foundation
import Logging
import TransitCommandLine
import TransitDemo
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire
import TransitTime

/// `bench pipeline`: the runtime end to end (consume, dedupe, store, outbox, produce, commit) with the
/// reference handler, beside the raw limits of its necessary parts measured in the same run.
struct PipelineBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Worker throughput and latency vs raw consume, raw produce and raw store.",
        discussion: """
            1. Per run, pre-produces --messages EnrollmentEvents to fresh topics and lets one worker \
            (ExampleHandler, a fresh store) process them all: events/s, from the first handled batch until the \
            output topic holds the last output. 2. After the last run, offers --latency-messages more at --rate \
            per second and measures publish-to-output latency (p50/p99). 3. Per run, measures the raw limits: a \
            plain C consumer loop over the last run's input topic, a plain C producer loop, and the store written \
            directly (inbox row, state upsert, outbox row per event, in batches of --batch-size). Every run is \
            printed; the last line has the medians of --runs runs, and \
            ratio = events_per_s / min(raw_consume, raw_produce, raw_store).
            Examples:
              trialtransit-bench pipeline --brokers 127.0.0.1:9092 --store sqlite
              trialtransit-bench pipeline --store postgres --postgres-url postgres://postgres@127.0.0.1:5432/postgres
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

    @Option(help: "SQLite commit durability for --store sqlite: full (the workers' default) or normal.")
    var sqliteSynchronous: SQLiteDurability = .full

    @Option(help: "Events per batch (one transaction).")
    var batchSize = 1_000

    @Option(help: "Offered rate for the latency run, events per second.")
    var rate = 2_000

    @Option(help: "Events for the latency run (after the last throughput run).")
    var latencyMessages = 4_000

    @Option(help: "Measured runs of each side (fresh topics and stores each); the median is reported.")
    var runs = 3

    func validate() throws {
        guard messages > 0, batchSize > 0, rate > 0, latencyMessages > 0, runs > 0 else {
            throw ValidationError("--messages, --batch-size, --rate, --latency-messages and --runs must be positive")
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
        var pipelines: [ReferencePipeline] = []
        do {
            try await measure(client: client, logger: logger, pipelines: &pipelines)
        } catch {
            for pipeline in pipelines { await pipeline.delete() }
            throw error
        }
        for pipeline in pipelines { await pipeline.delete() }
    }

    private func measure(client: KafkaClientConfiguration, logger: Logger, pipelines: inout [ReferencePipeline]) async throws {
        let (rates, latency) = try await workerRuns(client: client, logger: logger, pipelines: &pipelines)
        let raw = try await rawRuns(client: client, logger: logger, pipelines: &pipelines)
        let eventsPerSecond = BenchFormat.median(rates)
        let (rawConsume, rawProduce, rawStore) = (BenchFormat.median(raw.consume), BenchFormat.median(raw.produce), BenchFormat.median(raw.store))
        if runs > 1 { print("medians of \(runs) runs:") }
        print(
            "events_per_s=\(BenchFormat.rate(eventsPerSecond)) p50_ms=\(format(latency.p50)) p99_ms=\(format(latency.p99)) "
                + "raw_consume=\(BenchFormat.rate(rawConsume)) raw_produce=\(BenchFormat.rate(rawProduce)) "
                + "raw_store=\(BenchFormat.rate(rawStore)) ratio=\(BenchFormat.ratio(eventsPerSecond / min(rawConsume, rawProduce, rawStore)))")
    }

    /// The worker's events per second in each run (fresh topics and store), and the latency
    /// measured after the last run.
    private func workerRuns(client: KafkaClientConfiguration, logger: Logger, pipelines: inout [ReferencePipeline]) async throws
        -> (rates: [Double], latency: (p50: Double, p99: Double))
    {
        var rates: [Double] = []
        var latency: (p50: Double, p99: Double) = (0, 0)
        for run in 1...runs {
            let pipeline = try await ReferencePipeline.create(label: "pipeline", client: client, logger: logger)
            pipelines.append(pipeline)
            print("run \(run): producing \(messages) events to \(pipeline.input)")
            try await pipeline.produceEvents(count: messages, prefix: "t")
            let (workerStore, cleanup) = try await openStore(logger: logger, label: "worker")
            defer { cleanup() }
            let running = try pipeline.startWorker(pipeline.handler, store: workerStore, batchSize: batchSize)
            do {
                let (events, seconds) = try await measureThroughput(running, pipeline: pipeline, client: client, logger: logger)
                rates.append(Double(events) / seconds)
                print("run \(run): worker: \(events) events in \(format(seconds)) s = \(BenchFormat.rate(rates[rates.count - 1])) events/s (\(store.rawValue))")
                if run == runs {
                    latency = try await measureLatency(pipeline, client: client, logger: logger)
                    print("latency at \(rate)/s: p50_ms=\(format(latency.p50)) p99_ms=\(format(latency.p99))")
                }
            } catch {
                try? await running.stop()
                throw error
            }
            try await running.stop()
            if run < runs {
                // Topics of finished runs go at once: a broker holding more data gets slower.
                await pipeline.delete()
                pipelines.removeLast()
            }
        }
        return (rates, latency)
    }

    /// The raw limits in each run: consuming the last run's input topic, producing to a scratch topic, and
    /// the store written directly (a fresh store each run).
    private func rawRuns(client: KafkaClientConfiguration, logger: Logger, pipelines: inout [ReferencePipeline]) async throws
        -> (consume: [Double], produce: [Double], store: [Double])
    {
        let brokers = client.bootstrapServers.joined(separator: ",")
        let input = pipelines[pipelines.count - 1].input
        let consumeProperties = KafkaConsumerConfiguration(client: client).librdkafkaProperties.filter { $0.key != "group.id" }
        let produceProperties = KafkaProducerConfiguration(client: client).librdkafkaProperties
        let scratch = try await ReferencePipeline.create(label: "pipeline-raw", client: client, logger: logger)
        pipelines.append(scratch)
        var raw: (consume: [Double], produce: [Double], store: [Double]) = ([], [], [])
        for run in 1...runs {
            raw.consume.append(
                try RawBaseline.consume(brokers: brokers, topic: input, expected: messages, properties: consumeProperties).rate)
            raw.produce.append(
                try RawBaseline.produce(brokers: brokers, topic: scratch.input, count: messages, size: 120, properties: produceProperties).rate)
            let (rawStore, cleanup) = try await openStore(logger: logger, label: "raw")
            defer { cleanup() }
            raw.store.append(try await StoreBenchmark.rawEventsPerSecond(store: rawStore, events: messages, batchSize: batchSize))
            print(
                "run \(run): raw: consume=\(BenchFormat.rate(raw.consume[run - 1]))/s produce=\(BenchFormat.rate(raw.produce[run - 1]))/s "
                    + "store=\(BenchFormat.rate(raw.store[run - 1]))/s")
        }
        return raw
    }

    /// Waits until the output topic holds an output for every pre-produced event. The clock starts
    /// when the first batch is handled (joining the group before it is not throughput, and the raw
    /// consumer it is compared with assigns its partition directly) and stops when the broker holds
    /// the last output; the events of that first batch are not counted.
    private func measureThroughput(
        _ running: ReferencePipeline.RunningWorker<ExampleHandler>, pipeline: ReferencePipeline, client: KafkaClientConfiguration, logger: Logger
    ) async throws -> (events: Int, seconds: Double) {
        let watcher = try KafkaConsumer(configuration: KafkaConsumerConfiguration(client: client), logger: logger)
        do {
            let result = try await timeOutputs(running, output: pipeline.output, watcher: watcher)
            try await watcher.close()
            return result
        } catch {
            try? await watcher.close()
            throw error
        }
    }

    private func timeOutputs(
        _ running: ReferencePipeline.RunningWorker<ExampleHandler>, output: String, watcher: KafkaConsumer
    ) async throws -> (events: Int, seconds: Double) {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(600)
        func check() async throws {
            guard clock.now < deadline else { throw ValidationError("the worker did not finish within 600 s") }
            if running.task.isCancelled { try await running.task.value }
        }
        let worker = running.worker
        while worker.stats.handled == 0 {
            try await check()
            try await Task.sleep(for: .milliseconds(1))
        }
        let start = clock.now
        let first = worker.stats.handled
        print("worker joined the group and handled its first batch (\(first) events); timing the rest")
        // Asking the broker only once every event is handled keeps the measurement from loading it.
        while worker.stats.handled < messages {
            try await check()
            try await Task.sleep(for: .milliseconds(1))
        }
        while try await watcher.watermarks(topic: output, partition: 0).high < Int64(messages) {
            try await check()
            try await Task.sleep(for: .milliseconds(2))
        }
        return (messages - first, (clock.now - start) / .seconds(1))
    }

    /// Offers events at `rate` and measures publish -> output arrival per event.
    private func measureLatency(_ pipeline: ReferencePipeline, client: KafkaClientConfiguration, logger: Logger) async throws
        -> (p50: Double, p99: Double)
    {
        let consumer = try KafkaConsumer(configuration: KafkaConsumerConfiguration(client: client, fetchWaitMax: .milliseconds(5)), logger: logger)
        let high = try await consumer.watermarks(topic: pipeline.output, partition: 0).high
        try consumer.assign([KafkaTopicPartitionOffset(topic: pipeline.output, partition: 0, offset: high)])
        let (count, rate) = (latencyMessages, self.rate)
        let publisher = Task { try await pipeline.produceEvents(count: count, prefix: "l", rate: rate) }
        var latencies: [Double] = []
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(Double(latencyMessages) / Double(rate) + 60)
        while latencies.count < latencyMessages && clock.now < deadline {
            let batch = try await consumer.poll(timeout: .milliseconds(50))
            let now = SystemWallClock().nowMilliseconds()
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
            let sqlite = try SQLiteStore(path: path, logger: logger, durability: sqliteSynchronous)
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

extension SQLiteDurability: ExpressibleByArgument {}
