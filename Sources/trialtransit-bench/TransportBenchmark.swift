import ArgumentParser
import Foundation
import Logging
import TransitCommandLine
import TransitDemo
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransportWorker

/// `bench transport`: bookings per second end to end on SQLite (travel request + `TravelNeeded` →
/// offer to a partner → the partner simulator accepts → `RideConfirmed`), beside the runtime's
/// pipeline baseline measured in the same run (``PipelineBaseline``, as `bench trial-access`).
struct TransportBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transport",
        abstract: "Bookings per second through the transport worker vs the pipeline baseline.",
        discussion: """
            Starts the transport worker on a fresh SQLite file and a partner simulator (accepts every offer \
            at once; rides do not progress during the run) on topics and consumer groups of their own, then \
            publishes --bookings travel requests with their TravelNeeded (one patient and visit each) and \
            waits until every booking's RideConfirmed is on the booking events topic. \
            events_per_s = bookings confirmed / seconds from the first publish to the last confirmation \
            seen; inputs_per_s = the worker's inputs (3 per booking: request, TravelNeeded, the partner's \
            acceptance) / the same seconds; steady_* count after start-up (the worker's first handled input: \
            group join, first fetch). Then runs the reference pipeline handler over as many events as the \
            worker had inputs on another fresh SQLite file (the baseline of bench trial-access, same store, \
            batch size and broker); ratio = inputs_per_s / baseline_events_per_s. startup_share is the larger \
            start-up share of the two runs (the default workload keeps it under 0.1).
            Example: trialtransit-bench transport --brokers 127.0.0.1:9092 --local-broker --bookings 80000
            """
    )

    @OptionGroup var broker: BrokerOptions

    @Option(help: "Bookings to make.")
    var bookings = 80_000

    @Option(help: "Give up when for this many seconds no booking is confirmed and the worker handles no input.")
    var stallSeconds = 60

    func validate() throws {
        guard bookings > 0 else { throw ValidationError("--bookings must be positive") }
        guard stallSeconds > 0 else { throw ValidationError("--stall-seconds must be positive") }
    }

    func run() async throws {
        var benchLogger = Logger(label: "bench")
        benchLogger.logLevel = .error
        let logger = benchLogger
        var configuration = try broker.clientConfiguration(clientID: "bench-transport")
        configuration.receiveMessageMaxBytes = 2_147_483_647
        let client = configuration
        let run = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let measured = try await TransportRun(
            bookings: bookings, run: run, client: client, stall: .seconds(stallSeconds), logger: logger
        ).measure()
        let eventsPerSecond = Double(bookings) / measured.seconds
        print(
            "transport: \(bookings) bookings confirmed in \(Self.seconds(measured.seconds)) s from the first publish; "
                + "worker handled \(measured.stats.handled) inputs in \(measured.stats.batches) batches, dead-lettered "
                + "\(measured.stats.deadLettered); partner accepted \(measured.accepted) offers")
        print(
            "  timeline: worker's first input handled after \(measured.firstInputSeconds.map(Self.seconds) ?? "?") s, "
                + "first RideOffered seen after \(measured.firstOfferOutSeconds.map(Self.seconds) ?? "?") s, "
                + "partner's first offer after \(measured.firstOfferSeconds.map(Self.seconds) ?? "?") s, "
                + "first confirmation after \(Self.seconds(measured.firstConfirmationSeconds)) s")
        if bookings > 1 && measured.seconds > measured.firstConfirmationSeconds {
            let rest = Double(bookings - 1) / (measured.seconds - measured.firstConfirmationSeconds)
            print("  after the first confirmation: \(BenchFormat.rate(rest)) bookings/s")
        }

        let inputs = measured.stats.handled + measured.stats.deadLettered
        var worker = StartupSplit(
            count: inputs, seconds: measured.seconds, startupSeconds: measured.firstInputSeconds ?? 0,
            firstCount: measured.firstInputCount)
        worker.cpuSeconds = measured.cpuSeconds
        print("  process CPU \(worker.cpuPerRecord) µs per worker input (the simulated partner's and the publishing included)")
        print("measuring the pipeline baseline (reference handler, SQLite, \(inputs) events: one per worker input)")
        let baseline = try await PipelineBaseline.measure(events: inputs, client: client, logger: logger)
        print(
            "pipeline baseline: \(BenchFormat.rate(baseline.perSecond)) events/s in \(Self.seconds(baseline.seconds)) s "
                + "(start-up \(Self.seconds(baseline.startupSeconds)) s); process CPU \(baseline.cpuPerRecord) µs per event")
        print(
            "summary: \(BenchFormat.rate(eventsPerSecond)) bookings/s (\(BenchFormat.rate(worker.perSecond)) worker "
                + "inputs/s, 3 inputs per booking) vs \(BenchFormat.rate(baseline.perSecond)) baseline events/s; "
                + "bookings/s over baseline events/s \(BenchFormat.ratio(eventsPerSecond / baseline.perSecond))")
        print(
            "bookings_per_s=\(BenchFormat.rate(eventsPerSecond)) inputs_per_s=\(BenchFormat.rate(worker.perSecond)) "
                + "steady_inputs_per_s=\(BenchFormat.rate(worker.steadyPerSecond)) "
                + "baseline_events_per_s=\(BenchFormat.rate(baseline.perSecond)) "
                + "baseline_steady_events_per_s=\(BenchFormat.rate(baseline.steadyPerSecond)) "
                + "startup_share=\(BenchFormat.ratio(max(worker.startupShare, baseline.startupShare))) "
                + "ratio=\(BenchFormat.ratio(worker.perSecond / baseline.perSecond)) "
                + "steady_ratio=\(BenchFormat.ratio(worker.steadyPerSecond / baseline.steadyPerSecond))")
    }
}

/// One measured run of the transport worker with a partner simulator, on topics, groups and a
/// SQLite file of its own (removed afterwards).
struct TransportRun {
    let bookings: Int
    let run: String
    let client: KafkaClientConfiguration
    let stall: Duration
    let logger: Logger

    struct Result {
        var seconds: Double
        var firstConfirmationSeconds: Double
        /// When the worker had handled its first input, its first RideOffered was seen, and the
        /// partner received its first offer.
        var firstInputSeconds: Double?
        var firstOfferOutSeconds: Double?
        var firstOfferSeconds: Double?
        /// The worker's inputs handled when its first were seen.
        var firstInputCount: Int
        /// Process CPU seconds from the first publish to the last confirmation.
        var cpuSeconds: Double
        var stats: WorkerStats
        var accepted: Int
    }

    func measure() async throws -> Result {
        let topics = TransitTopics(prefix: "bench-tr-\(run).")
        let partners = try TransportBenchmarkInputs.partners()
        let bookingIDs = try BookingIDKeyring(current: .generate(id: "bench"))
        let specifications = TransportHandler(partners: partners, bookingIDs: bookingIDs, topics: topics)
            .topicSpecifications(partitions: 1)
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        try await admin.createTopics(specifications)

        let path = NSTemporaryDirectory() + "bench-tr-\(run).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteStore(path: path, logger: logger)
        try await store.migrate()
        let outbox = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: client, linger: .milliseconds(2)), logger: logger)
        let worker = makeTransportWorker(
            partners: partners, bookingIDs: bookingIDs, store: store, producer: outbox, client: client, topics: topics,
            options: WorkerOptions(batchSize: 1_000, groupID: "bench-transport-\(run)"), logger: logger)
        let simulator = PartnerSimulator(
            options: PartnerSimulatorOptions(
                partnerID: TransportBenchmarkInputs.partnerID, stepDelay: .seconds(3_600), seed: 1,
                groupID: "bench-transport-\(run).partner", pollBatchSize: 1_000, linger: .milliseconds(5)),
            client: client, topics: topics, logger: logger, output: { _ in })
        let watcher = try await ConfirmationWatcher(topic: topics.bookingEvents, client: client, logger: logger)
        let workerTask = Task { try await worker.run() }
        let simulatorTask = Task { try await simulator.run() }
        await worker.waitUntilSubscribed()
        await simulator.waitUntilSubscribed()

        let result: Swift.Result<Result, any Error>
        do {
            result = .success(
                try await publishAndWait(topics: topics, watcher: watcher, worker: worker, simulator: simulator))
        } catch {
            result = .failure(error)
        }
        simulator.stop()
        worker.stop()
        _ = try? await simulatorTask.value
        _ = try? await workerTask.value
        await watcher.close()
        try? await outbox.close()
        try? await store.close()
        try? await admin.deleteTopics(specifications.map(\.name))
        return try result.get()
    }

    private func publishAndWait(
        topics: TransitTopics, watcher: ConfirmationWatcher, worker: Worker<TransportHandler>,
        simulator: PartnerSimulator
    ) async throws -> Result {
        print("publishing \(bookings) travel requests and their TravelNeeded events")
        let appointmentAt = TransportBenchmarkInputs.appointment()
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: logger)
        let clock = ContinuousClock()
        let cpuBefore = ProcessCPU.seconds()
        let start = clock.now
        try await producer.sendAndForget(
            (0..<bookings).lazy.flatMap { index in
                TransportBenchmarkInputs.records(index: index, run: run, appointmentAt: appointmentAt, topics: topics)
            })
        try await producer.flush(timeout: .seconds(120))
        try await producer.close()
        print("published in \(String(format: "%.2f", (clock.now - start) / .seconds(1))) s; waiting for confirmations")

        var lastProgress = clock.now
        var lastCount = 0
        var lastHandled = 0
        var lastChange = clock.now
        var firstInput: ContinuousClock.Instant?
        var firstInputCount = 0
        var firstOffer: ContinuousClock.Instant?
        while watcher.confirmed.count < bookings {
            try await watcher.poll(timeout: .milliseconds(20))
            let now = clock.now
            if firstInput == nil, case let handled = worker.stats.handled, handled > 0 {
                firstInput = now
                firstInputCount = handled
            }
            if firstOffer == nil && simulator.stats.offers > 0 { firstOffer = now }
            // Progress is a confirmation or a handled input: under load every request and
            // TravelNeeded may be handled before the first acceptance comes back.
            let handled = worker.stats.handled
            if watcher.confirmed.count != lastCount || handled != lastHandled {
                lastCount = watcher.confirmed.count
                lastHandled = handled
                lastChange = now
            } else if now - lastChange > stall {
                let stats = worker.stats
                throw BenchStalled(
                    message: "no booking confirmed and no input handled for \(stall): \(lastCount)/\(bookings) confirmed, worker handled "
                        + "\(stats.handled), dead-lettered \(stats.deadLettered); partner offers \(simulator.stats.offers)")
            }
            if now - lastProgress >= .seconds(2) {
                lastProgress = now
                print("  confirmed \(lastCount)/\(bookings) after \(String(format: "%.1f", (now - start) / .seconds(1))) s")
            }
        }
        let end = watcher.lastConfirmation ?? clock.now
        return Result(
            seconds: (end - start) / .seconds(1),
            firstConfirmationSeconds: ((watcher.firstConfirmation ?? end) - start) / .seconds(1),
            firstInputSeconds: firstInput.map { ($0 - start) / .seconds(1) },
            firstOfferOutSeconds: watcher.firstOffer.map { ($0 - start) / .seconds(1) },
            firstOfferSeconds: firstOffer.map { ($0 - start) / .seconds(1) }, firstInputCount: firstInputCount,
            cpuSeconds: ProcessCPU.seconds() - cpuBefore, stats: worker.stats, accepted: simulator.stats.accepted)
    }
}

extension TransportBenchmark {
    static func seconds(_ value: Double) -> String { String(format: "%.2f", value) }
}

struct BenchStalled: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
