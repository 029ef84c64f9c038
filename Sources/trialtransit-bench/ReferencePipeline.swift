import Foundation
import Logging
import TransitDemo
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire
import TransitTime

/// One run of the runtime's pipeline on the reference handler (``ExampleHandler``): fresh input,
/// output and dead-letter topics (one partition each) and a worker that reads the input.
/// Used by `bench pipeline` and as the baseline of the domain benchmarks.
struct ReferencePipeline {
    let input: String
    let output: String
    let topics: TransitTopics
    let group: String
    private let client: KafkaClientConfiguration
    private let admin: KafkaAdmin
    private let logger: Logger

    /// Creates the topics of a new run named `bench-<label>-<random>`.
    static func create(label: String, client: KafkaClientConfiguration, logger: Logger) async throws -> ReferencePipeline {
        let name = "bench-\(label)-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        let pipeline = ReferencePipeline(
            input: name + ".in", output: name + ".out", topics: TransitTopics(prefix: name + "."), group: name,
            client: client, admin: try KafkaAdmin(configuration: client, logger: logger), logger: logger)
        try await pipeline.admin.createTopics(
            [pipeline.input, pipeline.output, pipeline.topics.deadLetters].map { KafkaTopicSpecification(name: $0, partitions: 1) })
        return pipeline
    }

    /// Publishes `count` EnrollmentEvents (VisitCompleted; 1,000 patients; ids `<prefix>-<n>`), each
    /// stamped with its send time; with `rate`, paced at that many per second.
    func produceEvents(count: Int, prefix: String, rate: Int? = nil) async throws {
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: client, linger: rate == nil ? .milliseconds(5) : .zero), logger: logger)
        let clock = ContinuousClock()
        let start = clock.now
        let chunk = rate.map { max(1, $0 / 100) } ?? 10_000
        var sent = 0
        while sent < count {
            let end = min(count, sent + chunk)
            try await producer.sendAndForget((sent..<end).map { index in
                var event = EnrollmentEvent()
                event.eventId = "\(prefix)-\(index)"
                event.patientRef = "p-\(index % 1_000)"
                event.source = "bench"
                event.occurredAt = SystemWallClock().nowMilliseconds()
                event.body = .visitCompleted(VisitCompleted(visitId: "v-\(index)"))
                return KafkaProducerMessage(topic: input, key: event.patientRef, value: event.wireBytes())
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

    /// The reference handler over this run's input and output.
    var handler: ExampleHandler { ExampleHandler(inputTopic: input, outputTopic: output) }

    /// Starts a worker running `handler` on `store` (its own relay and producer); stop it with
    /// ``RunningWorker/stop()``.
    func startWorker<Handler: TransitHandler>(
        _ handler: Handler, store: any TransitStore, batchSize: Int
    ) throws -> RunningWorker<Handler> {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client, linger: .milliseconds(2)), logger: logger)
        let worker = Worker(
            handler: handler, store: store,
            relay: OutboxRelay(store: store, producer: producer, logger: logger), client: client, topics: topics,
            options: WorkerOptions(batchSize: batchSize, groupID: group), logger: logger)
        return RunningWorker(worker: worker, task: Task { try await worker.run() }, producer: producer)
    }

    /// Deletes the run's topics (best effort).
    func delete() async {
        try? await admin.deleteTopics([input, output, topics.deadLetters])
    }

    /// A worker of the run and what it needs to stop cleanly.
    struct RunningWorker<Handler: TransitHandler> {
        let worker: Worker<Handler>
        let task: Task<Void, any Error>
        let producer: KafkaProducer

        /// Stops after the batch in hand, waits for the worker, closes its producer.
        func stop() async throws {
            worker.stop()
            try await task.value
            try await producer.close()
        }
    }
}

/// The pipeline baseline of the domain benchmarks: the reference handler over `events` events on a
/// fresh SQLite file (the store, batch size and broker the domain benchmarks use), timed from the
/// worker's start (group join included) until all are handled. With `writes`, the handler also does
/// a domain input's store writes and records (``DomainWritesHandler``); with `waitingConsumers`,
/// that many consumers wait at the end of a topic in the same process meanwhile
/// (``WaitingConsumers``).
enum PipelineBaseline {
    static func measure(
        events: Int, writes: DomainWritesHandler.Pattern? = nil, waitingConsumers: Int = 0,
        client: KafkaClientConfiguration, logger: Logger
    ) async throws -> StartupSplit {
        let pipeline = try await ReferencePipeline.create(
            label: writes == nil ? "baseline" : "baseline-writes", client: client, logger: logger)
        try await pipeline.produceEvents(count: events, prefix: "baseline")
        let path = NSTemporaryDirectory() + pipeline.group + ".sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteStore(path: path, logger: logger)
        try await store.migrate()
        let waiting =
            waitingConsumers > 0
            ? try await WaitingConsumers(count: waitingConsumers, topic: pipeline.group + ".idle", client: client, logger: logger)
            : nil
        let split: StartupSplit
        do {
            split =
                if let writes {
                    try await measure(
                        DomainWritesHandler(inner: pipeline.handler, pattern: writes), events: events, pipeline: pipeline, store: store)
                } else {
                    try await measure(pipeline.handler, events: events, pipeline: pipeline, store: store)
                }
        } catch {
            await waiting?.stop()
            throw error
        }
        await waiting?.stop()
        return split
    }

    private static func measure<Handler: TransitHandler>(
        _ handler: Handler, events: Int, pipeline: ReferencePipeline, store: SQLiteStore
    ) async throws -> StartupSplit {
        let (running, split) = try await StartupSplit.measure(count: events) {
            try pipeline.startWorker(handler, store: store, batchSize: 1_000)
        } done: { $0.worker.stats.handled }
        try await running.stop()
        try await store.close()
        await pipeline.delete()
        return split
    }
}

/// A run's records per second end to end and in the steady state: start-up is the time until the
/// worker was first seen to have handled records (group join, first fetch, first batch).
struct StartupSplit {
    var count: Int
    /// Seconds from the start to the last record, and from the start to the first records handled.
    var seconds: Double
    var startupSeconds: Double
    /// Records handled when the first were seen (not counted in the steady state).
    var firstCount: Int
    /// Process CPU seconds over the run (``ProcessCPU``), when measured.
    var cpuSeconds: Double?

    /// `first`: when handled records were first seen, and how many.
    init(count: Int, start: ContinuousClock.Instant, first: (at: ContinuousClock.Instant, handled: Int), end: ContinuousClock.Instant) {
        self.count = count
        self.seconds = (end - start) / .seconds(1)
        self.startupSeconds = (first.at - start) / .seconds(1)
        self.firstCount = min(first.handled, count)
    }

    /// Starts a run with `start` and polls `done` (records finished) every 5 ms until it reaches
    /// `count`: the split from `start`'s call to then, with the process CPU spent meanwhile.
    static func measure<Run>(
        count: Int, start: () async throws -> Run, done: (Run) -> Int
    ) async throws -> (Run, StartupSplit) {
        let clock = ContinuousClock()
        let cpuBefore = ProcessCPU.seconds()
        let started = clock.now
        let run = try await start()
        var first: (at: ContinuousClock.Instant, handled: Int)?
        while true {
            let finished = done(run)
            if first == nil && finished > 0 { first = (clock.now, finished) }
            if finished >= count { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        let end = clock.now
        var split = StartupSplit(count: count, start: started, first: first ?? (end, count), end: end)
        split.cpuSeconds = ProcessCPU.seconds() - cpuBefore
        return (run, split)
    }

    init(count: Int, seconds: Double, startupSeconds: Double, firstCount: Int) {
        self.count = count
        self.seconds = seconds
        self.startupSeconds = startupSeconds
        self.firstCount = min(firstCount, count)
    }

    /// Records per second from the start.
    var perSecond: Double { Double(count) / seconds }
    /// Records per second after start-up (those handled after the first seen, over the time after).
    var steadyPerSecond: Double {
        seconds > startupSeconds && count > firstCount ? Double(count - firstCount) / (seconds - startupSeconds) : perSecond
    }
    /// Microseconds of process CPU per record ("?" when not measured).
    var cpuPerRecord: String { cpuSeconds.map { ProcessCPU.perRecord($0, records: count) } ?? "?" }
    /// The share of the run spent starting up.
    var startupShare: Double { seconds > 0 ? startupSeconds / seconds : 0 }

    /// "R events/s in S s (start-up T s); process CPU C µs per event", as the baselines print it.
    var eventsSummary: String {
        "\(BenchFormat.rate(perSecond)) events/s in \(String(format: "%.2f", seconds)) s "
            + "(start-up \(String(format: "%.2f", startupSeconds)) s); process CPU \(cpuPerRecord) µs per event"
    }
}
