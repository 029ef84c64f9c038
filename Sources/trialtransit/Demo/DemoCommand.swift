import ArgumentParser
import Foundation
import Logging
import Synchronization
import TransitCommandLine
import TransitDemo
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire
import TransportBooking
import TransportWorker
import TrialAccess
import TrialAccessWorker
import TransitTime

/// `trialtransit demo`: every worker and the reference partners in one process, on a fresh topic prefix
/// and SQLite file; publishes a handful of referrals and visits and prints what happens: five patients
/// around Boston, then a Madrid patient's journey up to an urgent visit for an adverse event.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run every worker and the reference partners, feed sample patients, and show decisions and rides.",
        discussion: """
            Uses its own topic prefix (demo-<run>.) and a fresh SQLite file, so it can be run again and again.
            Five patients around Boston (P1-P5), then a Madrid patient (P6): eligible for an anti-PD-1 trial, \
            a taxi to screening, then a grade 3 colitis that brings her in urgently with an urgent ride. The \
            Boston and Spanish samples are loaded together (repeated --catalog and --partners merge).
            `scripts/demo` starts a local broker and runs this. Example:
              trialtransit demo --brokers 127.0.0.1:9092
            """
    )

    @OptionGroup var broker: BrokerOptions

    @Option(help: "Trial catalogue (JSON); repeat to merge several (a trial id may appear once).")
    var catalog = ["samples/catalog.json", "samples/catalog-es.json"]

    @Option(help: "Partner configuration (JSON); repeat to merge several (a partner id may appear once).")
    var partners = ["samples/partners.json", "samples/partners-es.json"]

    @Option(help: "Give up after this many seconds.")
    var timeout = 120

    func run() async throws {
        for path in catalog { try requireReadableFile(path, option: "--catalog") }
        for path in partners { try requireReadableFile(path, option: "--partners") }
        let trials = try TrialCatalog(trials: catalog.flatMap { path in try TrialCatalog.load(file: path).trials })
        let directory = try PartnerDirectory(partners: partners.flatMap { path in try PartnerDirectory.load(file: path).partners })
        var demoLogger = CLILogging.logger(label: "trialtransit.demo")
        if environment("TRIALTRANSIT_LOG_LEVEL") == nil { demoLogger.logLevel = .error }
        let logger = demoLogger
        var configuration = try broker.clientConfiguration(clientID: "trialtransit-demo")
        configuration.receiveMessageMaxBytes = 2_147_483_647  // the local broker ignores fetch size limits
        let client = configuration
        let run = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let topics = TransitTopics(prefix: "demo-\(run).")
        let storePath = NSTemporaryDirectory() + "trialtransit-demo-\(run).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: storePath + suffix) } }

        print("TrialTransit demo \(run): brokers \(client.bootstrapServers.joined(separator: ",")), topics demo-\(run).*, store \(storePath)")
        let store = try SQLiteStore(path: storePath, logger: logger)
        try await store.migrate()
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client, linger: .milliseconds(1)), logger: logger)
        // One relay for the store: both workers' outbox rows go out once, in order.
        let relay = OutboxRelay(store: store, producer: producer, topics: topics, logger: logger)
        // The demo's own store, so its own generated booking-id key.
        let bookingIDs = try await BookingIDKeySource.keyring(fileKeys: [], store: store, logger: logger)
        let transport = makeTransportWorker(
            partners: directory, bookingIDs: bookingIDs, store: store, relay: relay, client: client, topics: topics,
            options: WorkerOptions(groupID: "demo-\(run).transport"), logger: logger)
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        try await admin.createTopics(
            transport.handler.topicSpecifications(partitions: 3) + [
                KafkaTopicSpecification(name: topics.enrollmentEvents, partitions: 3),
                KafkaTopicSpecification(name: topics.trialCatalog, partitions: 1, configs: ["cleanup.policy": "compact"]),
                KafkaTopicSpecification(name: topics.rpcRequests(service: TrialAccessService.name), partitions: 3),
                KafkaTopicSpecification(name: topics.deadLetters, partitions: 1),
                KafkaTopicSpecification(name: topics.audit, partitions: 1),
            ])
        let trialAccess = try await makeTrialAccessWorker(
            store: store, client: client, topics: topics, catalog: trials, config: .standard,
            options: WorkerOptions(batchSize: 200, groupID: "demo-\(run).trial-access"), relay: relay, logger: logger)
        let simulators = directory.partners.map { partner in
            PartnerSimulator(
                options: PartnerSimulatorOptions(
                    partnerID: partner.id, stepDelay: .milliseconds(250), seed: 7, groupID: "demo-\(run).partner-sim.\(partner.id)"),
                client: client,
                topics: topics, logger: logger, output: { _ in })
        }
        let scenario = DemoScenario(run: run, now: SystemWallClock().nowMilliseconds())
        let watcher = DemoWatcher(topics: topics, patients: scenario.patients)

        let tasks: [Task<Void, any Error>] =
            [Task { try await trialAccess.worker.run() }, Task { try await transport.run() }]
            + simulators.map { simulator in Task { try await simulator.run() } }
            + [Task { try await watcher.run(client: client, logger: logger) }]
        defer { tasks.forEach { $0.cancel() } }
        await trialAccess.worker.waitUntilSubscribed()
        await transport.waitUntilSubscribed()
        for simulator in simulators { await simulator.waitUntilSubscribed() }
        await watcher.waitUntilReady()
        print("workers, partners (\(directory.partners.map(\.id).joined(separator: ", "))) and watcher are up\n")

        let publisher = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client, linger: .zero), logger: logger)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(timeout)
        let patients = scenario.bostonPatients
        print("Boston (\(DemoScenario.trial), partners metro-taxi and careways-medical)")
        let first = patients.filter { $0.label != "P4" }
        for patient in first {
            print("→ \(patient.label) referred (\(patient.story))")
            try await publisher.send(enrollment(scenario.referral(patient), topics))
        }
        try await watcher.waitForDecisions(first.map(\.ref), until: deadline)
        for patient in patients where patient.label == "P4" {
            print("→ \(patient.label) referred (\(patient.story))")
            try await publisher.send(enrollment(scenario.referral(patient), topics))
        }
        let travellers = patients.filter { $0.mobility != nil }
        for patient in travellers {
            try await bookScreeningTrip(patient, mobility: patient.mobility!, scenario, publisher: publisher, topics: topics)
        }
        let decided = try await watcher.waitForDecisions(patients.map(\.ref), until: deadline)
        let rode = try await watcher.waitForCompletedRides(travellers.count, of: travellers.map(\.ref), until: deadline)
        let spain = try await runSpanishJourney(scenario, publisher: publisher, watcher: watcher, topics: topics, until: deadline)
        try await publisher.close()
        let done = decided && rode && spain
        for task in tasks { task.cancel() }
        trialAccess.worker.stop()
        transport.stop()
        print("")
        print(watcher.summary(scenario.patients))
        try? await trialAccess.close()
        try? await producer.close()
        try? await store.close()
        if !done { throw ValidationError("the demo did not finish within \(timeout) s") }
    }

    /// P6 in Madrid: referral, consents and a travel request, the screening visit and its taxi; once
    /// that ride is completed, a grade 3 colitis, the urgent visit and its ride. False on timeout.
    private func runSpanishJourney(
        _ scenario: DemoScenario, publisher: KafkaProducer, watcher: DemoWatcher, topics: TransitTopics,
        until deadline: ContinuousClock.Instant
    ) async throws -> Bool {
        let patient = scenario.spanishPatient
        print("\nMadrid (\(DemoScenario.spanishTrial), partners taxi-madrid and concierge-salud)")
        print("→ \(patient.label) referred (\(patient.story))")
        try await publisher.send(enrollment(scenario.referral(patient), topics))
        guard try await watcher.waitForDecisions([patient.ref], until: deadline) else { return false }
        try await bookScreeningTrip(patient, mobility: .ambulatory, scenario, publisher: publisher, topics: topics)
        guard try await watcher.waitForCompletedRides(1, of: [patient.ref], until: deadline) else { return false }
        print("→ \(patient.label): the site reports a grade 3 colitis (CTCAE \(DemoScenario.colitis))")
        try await publisher.send(enrollment(scenario.colitisReport(patient, at: SystemWallClock().nowMilliseconds()), topics))
        return try await watcher.waitForCompletedRides(2, of: [patient.ref], until: deadline)
    }

    /// A referred patient consents to participation and transport, asks for travel, and gets a
    /// screening visit in 3 days (whose ride the transport worker then books).
    private func bookScreeningTrip(
        _ patient: DemoScenario.Patient, mobility: TransitWire.Mobility, _ scenario: DemoScenario, publisher: KafkaProducer,
        topics: TransitTopics
    ) async throws {
        print("→ \(patient.label) consents to participation and transport, asks for travel, screening visit booked in 3 days")
        try await publisher.send(scenario.consents(patient).map { enrollment($0, topics) })
        let travel = scenario.travelRequest(patient, mobility: mobility)
        try await publisher.send(KafkaProducerMessage(topic: topics.travelRequests, key: patient.ref, value: travel.wireBytes()))
        try await publisher.send(enrollment(scenario.screeningVisit(patient), topics))
    }

    private func enrollment(_ event: EnrollmentEvent, _ topics: TransitTopics) -> KafkaProducerMessage {
        KafkaProducerMessage(topic: topics.enrollmentEvents, key: event.patientRef, value: event.wireBytes())
    }
}
