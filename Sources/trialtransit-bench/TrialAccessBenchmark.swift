import ArgumentParser
import Foundation
import Logging
import TransitCommandLine
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire
import TrialAccess
import TrialAccessWorker
import TransitTime

/// `bench trial-access`: referrals per second end to end (publish, match, reserve, emit) on SQLite,
/// beside the runtime's pipeline baseline (the reference handler on the same events and store kind).
struct TrialAccessBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trial-access",
        abstract: "Referrals per second through the trial-access worker vs the pipeline baseline.",
        discussion: """
            Pre-produces --referrals PatientReferred events (one trial, one site with room for all), runs the \
            trial-access worker on a fresh SQLite file until every referral has its decision, then runs the \
            reference pipeline handler over the same number of events on another fresh SQLite file. Each side \
            is timed from its worker's start (group join included): events_per_s end to end, steady_* after \
            start-up (until the worker's first handled batch); startup_share is the larger start-up share of \
            the two runs (the baseline's group join, ~0.5-0.8 s: 0.07-0.08 of the default workload's run).
            Example: trialtransit-bench trial-access --brokers 127.0.0.1:9092 --referrals 750000
            """
    )

    @OptionGroup var broker: BrokerOptions

    @Option(help: "Referrals to process.")
    var referrals = 750_000

    @Flag(
        help: """
            Also run the baseline with a referral's store writes and records per event (no decisions) and \
            print trial-access's rate against it, before the last line.
            """)
    var referralWrites = false

    func run() async throws {
        var benchLogger = Logger(label: "bench")
        benchLogger.logLevel = .error
        let logger = benchLogger
        var configuration = try broker.clientConfiguration(clientID: "bench-trial-access")
        configuration.receiveMessageMaxBytes = 2_147_483_647
        let client = configuration
        let run = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let topics = TransitTopics(prefix: "bench-ta-\(run).")
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        let specifications = [
            KafkaTopicSpecification(name: topics.enrollmentEvents, partitions: 1),
            KafkaTopicSpecification(name: topics.travelRequests, partitions: 1),
            KafkaTopicSpecification(name: topics.trialCatalog, partitions: 1, configs: ["cleanup.policy": "compact"]),
            KafkaTopicSpecification(name: topics.trialAccessEvents, partitions: 1),
            KafkaTopicSpecification(name: topics.rpcRequests(service: TrialAccessService.name), partitions: 1),
            KafkaTopicSpecification(name: topics.deadLetters, partitions: 1), KafkaTopicSpecification(name: topics.audit, partitions: 1),
            KafkaTopicSpecification(name: topics.enrollmentFeedback, partitions: 1),
        ]
        try await admin.createTopics(specifications)
        let catalogPath = NSTemporaryDirectory() + "bench-ta-\(run).json"
        let trial = TrialDefinition(
            trialID: "NCT-BENCH-1", title: "Benchmark trial", phase: .phase2, recruitingStatus: .recruiting,
            criteria: EligibilityCriteria(conditionCodes: ["C34"], minAgeYears: 18, maxECOG: 1),
            sites: [
                TrialSite(
                    siteID: "bench-site", name: "Bench site",
                    location: SiteLocation(point: GeoPoint(latitude: 52.29, longitude: 4.96), addressText: "bench"),
                    screeningCapacity: referrals + 10)
            ],
            updatedAt: 1)
        try TrialCatalog(trials: [trial]).protoJSON().write(toFile: catalogPath, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: catalogPath) }

        print("producing \(referrals) referrals")
        try await produceReferrals(run: run, topics: topics, client: client, logger: logger)
        let (measured, deadLettered) = try await measureWorker(
            run: run, topics: topics, catalogPath: catalogPath, client: client, logger: logger)
        // The baseline runs on a broker without this run's records (the local broker's snapshots
        // cost CPU in proportion to what it holds), as the next invocation does. The run's clients
        // are gone by now: one still open would create a deleted topic again.
        do { try await admin.deleteTopics(specifications.map(\.name)) } catch {
            print("warning: the run's topics were not deleted (\(error)); the baseline runs beside them")
        }
        print(
            "trial-access: \(referrals) referrals decided in \(String(format: "%.2f", measured.seconds)) s "
                + "(start-up \(String(format: "%.2f", measured.startupSeconds)) s), dead-lettered \(deadLettered); "
                + "process CPU \(measured.cpuPerRecord) µs per referral")

        let baseline = try await PipelineBaseline.measure(events: referrals, client: client, logger: logger)
        print("pipeline baseline (reference handler, SQLite): \(baseline.eventsSummary)")
        if referralWrites {
            let writes = try await PipelineBaseline.measure(events: referrals, writes: .referral, client: client, logger: logger)
            print(
                "pipeline baseline with a referral's writes (13 statements, 3 records per event; SQLite): "
                    + "\(writes.eventsSummary); "
                    + "\(BenchFormat.ratio(writes.perSecond / baseline.perSecond)) of the plain baseline's rate; "
                    + "trial-access at \(BenchFormat.ratio(measured.perSecond / writes.perSecond)) of this one")
        }
        print(
            "events_per_s=\(BenchFormat.rate(measured.perSecond)) steady_events_per_s=\(BenchFormat.rate(measured.steadyPerSecond)) "
                + "baseline_events_per_s=\(BenchFormat.rate(baseline.perSecond)) "
                + "baseline_steady_events_per_s=\(BenchFormat.rate(baseline.steadyPerSecond)) "
                + "startup_share=\(BenchFormat.ratio(max(measured.startupShare, baseline.startupShare))) "
                + "ratio=\(BenchFormat.ratio(measured.perSecond / baseline.perSecond)) "
                + "steady_ratio=\(BenchFormat.ratio(measured.steadyPerSecond / baseline.steadyPerSecond))")
    }

    /// Publishes the run's referrals; the producer is closed and released on return.
    private func produceReferrals(run: String, topics: TransitTopics, client: KafkaClientConfiguration, logger: Logger) async throws {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: logger)
        try await producer.sendAndForget((0..<referrals).lazy.map { index in
            var referral = PatientReferred()
            referral.referralId = "r-\(index)"
            referral.trialId = "NCT-BENCH-1"
            referral.conditionCode = "C34.1"
            referral.ageYears = 60
            referral.ecog = 1
            referral.homeLocation = GeoPoint(latitude: 52.30, longitude: 4.90)
            var event = EnrollmentEvent()
            event.eventId = "bench-\(run)-\(index)"
            event.patientRef = "p-\(index)"
            event.occurredAt = SystemWallClock().nowMilliseconds()
            event.body = .patientReferred(referral)
            return KafkaProducerMessage(topic: topics.enrollmentEvents, key: event.patientRef, value: event.wireBytes())
        })
        try await producer.flush(timeout: .seconds(120))
        try await producer.close()
    }

    /// Runs the trial-access worker on a fresh SQLite file until every referral has its decision,
    /// timed from its start; its clients are closed and released on return.
    private func measureWorker(
        run: String, topics: TransitTopics, catalogPath: String, client: KafkaClientConfiguration, logger: Logger
    ) async throws -> (StartupSplit, deadLettered: Int) {
        let path = NSTemporaryDirectory() + "bench-ta-\(run).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteStore(path: path, logger: logger)
        try await store.migrate()
        let parts = try await makeTrialAccessWorker(
            store: store, client: client, topics: topics, catalogPath: catalogPath,
            options: WorkerOptions(batchSize: 1_000, groupID: "bench-trial-access-\(run)"),
            logger: logger)
        let (task, measured) = try await StartupSplit.measure(count: referrals) {
            Task { try await parts.worker.run() }
        } done: { _ in
            let stats = parts.worker.stats
            return stats.handled + stats.deadLettered
        }
        parts.worker.stop()
        try await task.value
        try await parts.close()
        try await store.close()
        return (measured, parts.worker.stats.deadLettered)
    }
}
