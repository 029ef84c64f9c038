import ArgumentParser
import Foundation
import Logging
import TransitCommandLine
import TransitDemo
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitTime
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
            publishes --bookings travel requests with their TravelNeeded (one patient and visit each), waits \
            until the worker has handled every input and reads the booking events topic until every \
            booking's RideConfirmed is there (nothing fetches that topic while the worker runs). \
            bookings_per_s = bookings confirmed / seconds from the first publish to the last RideConfirmed's \
            record timestamp (when the worker's outbox producer took it); inputs_per_s = the worker's inputs \
            (3 per booking: request, TravelNeeded, the partner's acceptance) / the same seconds; steady_* \
            count after start-up (the worker's first handled input: group join, first fetch). Then runs the \
            reference pipeline handler over as many events as the worker had inputs on another fresh SQLite \
            file (the baseline of bench trial-access, same store, batch size and broker); ratio = \
            inputs_per_s / baseline_events_per_s. startup_share is the larger start-up share of the two runs \
            (the default workload keeps it under 0.1).
            Example: trialtransit-bench transport --brokers 127.0.0.1:9092 --local-broker --booking-writes
            """
    )

    @OptionGroup var broker: BrokerOptions

    @Option(help: "Bookings to make.")
    var bookings = 160_000

    @Option(help: "Give up when for this many seconds the worker handles no input (or, after, no confirmation is read).")
    var stallSeconds = 60

    @Flag(
        help: """
            Also run the baseline with a transport input's store writes and records per event (no decisions), \
            alone and then with two consumers waiting at the end of a topic in the same process (as the \
            simulated partner and the worker wait on each other), and print transport's rate against each, \
            before the last line.
            """)
    var bookingWrites = false

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
                + "first RideOffered out after \(measured.firstOfferOutSeconds.map(Self.seconds) ?? "?") s, "
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
        print("pipeline baseline: \(baseline.eventsSummary)")
        print(
            "summary: \(BenchFormat.rate(eventsPerSecond)) bookings/s (\(BenchFormat.rate(worker.perSecond)) worker "
                + "inputs/s, 3 inputs per booking) vs \(BenchFormat.rate(baseline.perSecond)) baseline events/s; "
                + "bookings/s over baseline events/s \(BenchFormat.ratio(eventsPerSecond / baseline.perSecond))")
        if bookingWrites {
            try await printWritesBaselines(events: inputs, plain: baseline, worker: worker, client: client, logger: logger)
        }
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
        /// When the worker had handled its first input, produced its first RideOffered (record
        /// timestamp), and the partner received its first offer.
        var firstInputSeconds: Double?
        var firstOfferOutSeconds: Double?
        var firstOfferSeconds: Double?
        /// The worker's inputs handled when its first were seen.
        var firstInputCount: Int
        /// Process CPU seconds from the first publish until the worker had handled every input.
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
        let workerTask = Task { try await worker.run() }
        let simulatorTask = Task { try await simulator.run() }
        await worker.waitUntilSubscribed()
        await simulator.waitUntilSubscribed()

        let result: Swift.Result<Result, any Error>
        do {
            result = .success(
                try await publishAndWait(topics: topics, worker: worker, simulator: simulator))
        } catch {
            result = .failure(error)
        }
        simulator.stop()
        worker.stop()
        _ = try? await simulatorTask.value
        _ = try? await workerTask.value
        try? await outbox.close()
        try? await store.close()
        try? await admin.deleteTopics(specifications.map(\.name))
        return try result.get()
    }

    private func publishAndWait(
        topics: TransitTopics, worker: Worker<TransportHandler>, simulator: PartnerSimulator
    ) async throws -> Result {
        print("publishing \(bookings) travel requests and their TravelNeeded events")
        let appointmentAt = TransportBenchmarkInputs.appointment()
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: logger)
        let clock = ContinuousClock()
        let cpuBefore = ProcessCPU.seconds()
        let startedAt = SystemWallClock().nowMilliseconds()
        let start = clock.now
        try await producer.sendAndForget(
            (0..<bookings).lazy.flatMap { index in
                TransportBenchmarkInputs.records(index: index, run: run, appointmentAt: appointmentAt, topics: topics)
            })
        try await producer.flush(timeout: .seconds(120))
        try await producer.close()
        print("published in \(String(format: "%.2f", (clock.now - start) / .seconds(1))) s; waiting for the worker")

        // The worker's and the partner's counters, read in this process every 20 ms: nothing here
        // fetches from the broker while the worker runs (a consumer waiting at the end of a topic
        // fetches in a tight loop from the local broker, and would share the worker's cores).
        let inputs = 3 * bookings
        var lastProgress = clock.now
        var lastHandled = 0
        var lastChange = clock.now
        var firstInput: ContinuousClock.Instant?
        var firstInputCount = 0
        var firstOffer: ContinuousClock.Instant?
        while case let stats = worker.stats, stats.handled + stats.deadLettered < inputs {
            try await Task.sleep(for: .milliseconds(20))
            let now = clock.now
            let handled = worker.stats.handled
            if firstInput == nil && handled > 0 {
                firstInput = now
                firstInputCount = handled
            }
            if firstOffer == nil && simulator.stats.offers > 0 { firstOffer = now }
            if handled != lastHandled {
                lastHandled = handled
                lastChange = now
            } else if now - lastChange > stall {
                let stats = worker.stats
                throw BenchStalled(
                    message: "the worker handled no input for \(stall): handled \(stats.handled)/\(inputs), dead-lettered "
                        + "\(stats.deadLettered); partner offers \(simulator.stats.offers), accepted \(simulator.stats.accepted)")
            }
            if now - lastProgress >= .seconds(2) {
                lastProgress = now
                print(
                    "  worker handled \(handled)/\(inputs) inputs, partner accepted \(simulator.stats.accepted) "
                        + "after \(String(format: "%.1f", (now - start) / .seconds(1))) s")
            }
        }
        let cpuSeconds = ProcessCPU.seconds() - cpuBefore
        print("the worker handled every input; reading the booking events")
        let reader = try await ConfirmationReader(topic: topics.bookingEvents, client: client, logger: logger)
        do {
            try await reader.read(bookings: bookings, stall: stall)
        } catch {
            await reader.close()
            throw error
        }
        await reader.close()
        func seconds(_ at: Int64?) -> Double? { at.map { Double($0 - startedAt) / 1_000 } }
        let end = seconds(reader.lastConfirmationAt) ?? (clock.now - start) / .seconds(1)
        return Result(
            seconds: end, firstConfirmationSeconds: seconds(reader.firstConfirmationAt) ?? end,
            firstInputSeconds: firstInput.map { ($0 - start) / .seconds(1) },
            firstOfferOutSeconds: seconds(reader.firstOfferAt),
            firstOfferSeconds: firstOffer.map { ($0 - start) / .seconds(1) }, firstInputCount: firstInputCount,
            cpuSeconds: cpuSeconds, stats: worker.stats, accepted: simulator.stats.accepted)
    }
}

extension TransportBenchmark {
    static func seconds(_ value: Double) -> String { String(format: "%.2f", value) }

    /// The baseline with a transport input's writes, alone and beside two waiting consumers: what
    /// the durable work and the waiting leave of the plain baseline's rate on this broker and store.
    private func printWritesBaselines(
        events: Int, plain: StartupSplit, worker: StartupSplit, client: KafkaClientConfiguration, logger: Logger
    ) async throws {
        for waiting in [0, 2] {
            let writes = try await PipelineBaseline.measure(
                events: events, writes: .booking, waitingConsumers: waiting, client: client, logger: logger)
            print(
                "pipeline baseline with a transport input's writes (13 statements, 2.67 records per event; SQLite)"
                    + (waiting > 0 ? " and \(waiting) consumers waiting at a topic's end" : "") + ": \(writes.eventsSummary); "
                    + "\(BenchFormat.ratio(writes.perSecond / plain.perSecond)) of the plain baseline's rate; "
                    + "transport's inputs at \(BenchFormat.ratio(worker.perSecond / writes.perSecond)) of this one")
        }
    }
}

struct BenchStalled: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
