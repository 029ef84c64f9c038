import ArgumentParser
import Foundation
import Logging
import TransitCommandLine
import TransitDemo
import TransitKafka
import TransitRPC
import TransitSoak
import TransitTime

/// `trialtransit soak`: workers as real processes under a fault schedule, then a history check.
struct SoakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Run workers under injected faults, feed patient journeys, and check the history of every input and output.",
        discussion: """
            Starts its own broker (scripts/broker) and, with --store postgres, its own PostgreSQL (scripts/postgres), \
            worker processes of both kinds and a partner simulator per partner. Sends seeded patient journeys for \
            --duration while injecting faults, waits for the system to settle, reads every output topic from the start \
            and checks: one effect per input, legal per-key order, no over-booked slot, no ride for a cancelled visit, \
            nothing stuck, no personal data in the workers' logs. Last line: \
            soak: inputs=N outputs=M faults=F anomalies=A (exit 1 when A > 0).
            Examples:
              trialtransit soak --duration 2m --seed 7 --faults all
              trialtransit soak --store postgres --duration 20m --faults all
            """
    )

    @Option(help: "Store: a fresh SQLite file (default), 'postgres' (a PostgreSQL of the soak's own), or postgres://… (shared).")
    var store: String?

    @Option(help: "scripts/postgres data directory of the postgres://… server, so that store-restart can restart it.")
    var postgresDataDir: String?

    @Option(help: "How long journeys are sent and faults injected: 90s, 2m, 20m, 1h.")
    var duration = SoakDuration(argument: "2m")!

    @Option(help: "Seed of the journeys and the fault choices.")
    var seed: UInt64 = 1

    @Option(
        help: "Faults, comma-separated: kill9, pause, rebalance, broker-restart, store-restart (PostgreSQL), partition (root, ip, socat), or all, none.")
    var faults = "all"

    @Option(help: "Worker processes of each kind.")
    var workers = 2

    @Option(help: "New patient journeys per minute.")
    var journeysPerMinute = 30

    @Option(help: "Screening slots per site of the soak's trial (the catalogue is copied with this capacity).")
    var siteCapacity = 4

    @Option(help: "Seconds after the faults stop within which every journey must settle.")
    var settleTimeout = 180

    @Option(help: "Folder of scripts/broker and scripts/postgres.")
    var scripts = "scripts"

    @Option(help: "Trial catalogue (JSON).")
    var catalog = "samples/catalog.json"

    @Option(help: "Partner configuration (JSON).")
    var partners = "samples/partners.json"

    @Flag(help: "Keep the run folder (logs, SQLite file, broker data) afterwards.")
    var keep = false

    func validate() throws {
        _ = try SoakFault.parse(faults, postgres: usesManagedPostgres)
        guard workers >= 1, journeysPerMinute >= 1, siteCapacity >= 1 else {
            throw ValidationError("--workers, --journeys-per-minute and --site-capacity must be at least 1")
        }
    }

    private var usesManagedPostgres: Bool { store == "postgres" || (store?.hasPrefix("postgres") == true && postgresDataDir != nil) }

    func run() async throws {
        var logger = CLILogging.logger(label: "trialtransit.soak")
        if environment("TRIALTRANSIT_LOG_LEVEL") == nil { logger.logLevel = .critical }
        let run = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let directory = NSTemporaryDirectory() + "trialtransit-soak-\(run)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let faultList = try SoakFault.parse(faults, postgres: usesManagedPostgres)
        let prefix = "soak-\(run)."
        let topics = TransitTopics(prefix: prefix)
        let partnerIDs = try Self.partnerIDs(partners)
        let soakCatalog = directory + "/catalog.json"
        try Self.writeCatalog(from: catalog, to: soakCatalog, capacity: siteCapacity)
        let capacities = try Self.capacities(soakCatalog)
        print("TrialTransit soak \(run): seed \(seed), \(duration.seconds) s, faults \(faultList.map(\.rawValue).joined(separator: ",")), folder \(directory)")

        let brokers = try await SoakServices.startBroker(scripts: scripts, directory: directory)
        var storeLocation = "sqlite:\(directory)/soak.sqlite"
        var postgresData = postgresDataDir
        if store == "postgres" {
            postgresData = directory + "/postgres"
            storeLocation = try await SoakServices.startPostgres(scripts: scripts, dataDirectory: postgresData!, log: directory + "/scripts.log")
        } else if let store, store.hasPrefix("postgres") {
            storeLocation = store
        } else if let store {
            throw ValidationError("--store must be postgres or postgres://…, or left out for a fresh SQLite file, not '\(store)'")
        }
        let services = SoakServices(scripts: scripts, directory: directory, brokers: brokers, postgresDataDirectory: postgresData)
        let ownPostgres = store == "postgres"
        let partition: NetworkPartition?
        do {
            partition = faultList.contains(.partition) ? try await SoakPartition.start(directory: directory, brokers: brokers, store: storeLocation) : nil
        } catch {
            await services.stop(ownPostgres: ownPostgres)
            print("soak failed: \(error); logs in \(directory)")
            throw ExitCode(2)
        }
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let fleet = SoakFleet(
            settings: .init(
                executable: executable, directory: directory, brokers: brokers, store: storeLocation, topicPrefix: prefix,
                catalog: soakCatalog, partners: partners, partnerIDs: partnerIDs, seed: seed, partition: partition))
        let interruption = await SoakInterruption.handle {
            await fleet.stopAll()
            await partition?.stop()
            await services.stop(ownPostgres: ownPostgres)
        }
        defer { interruption.cancel() }
        var findings = SoakFindings()
        var timeline: [String] = []
        var ledger = SoakLedger()
        var outputCount = 0
        do {
            _ = try await runScript(
                executable, ["topics", "ensure", "--brokers", brokers, "--local-broker", "--topic-prefix", prefix] + partnerIDs.flatMap { ["--partner", $0] },
                logPath: directory + "/topics.log")
            for _ in 0..<workers {
                try await fleet.start(.trialAccess)
                try await fleet.start(.transport)
            }
            try await fleet.startSimulators()

            var client = KafkaClientConfiguration.localBroker([brokers])
            client.clientID = "trialtransit-soak"
            let producer = try SoakProducer(client: client, logger: logger)
            let caller = try SoakCaller(client: client, topics: topics, clientID: "trialtransit-soak-\(run)", logger: logger)
            let clock = ContinuousClock()
            let start = clock.now
            let end = start + duration.duration
            let sender = SoakSender(
                producer: producer, caller: caller, journeys: SoakJourneys(run: run, seed: seed, topics: topics, now: SystemWallClock().nowMilliseconds()),
                spacing: .milliseconds(60_000 / journeysPerMinute))
            let sending = Task { try await sender.send(until: end) }
            let injector = SoakFaultInjector(fleet: fleet, services: services)
            timeline = try await Self.injectFaults(faultList, injector: injector, fleet: fleet, seed: seed, start: start, end: end, findings: &findings)
            ledger = try await sending.value
            await producer.close()
            await caller.close()
            let quiet = clock.now
            print("faults done at \(Self.seconds(quiet - start)); settling (up to \(settleTimeout) s)")

            let reader = SoakOutputReader(client: client, topics: topics, logger: logger)
            let history = try await Self.settle(
                reader: reader, ledger: ledger, capacities: capacities, fleet: fleet, timeout: .seconds(settleTimeout), findings: &findings)
            findings.merge(HistoryChecker.check(history))
            outputCount = history.outputs.count
            await fleet.stopAll()
            await partition?.stop()
            for name in await fleet.unexpectedExits() { findings.record(.processExited, "\(name) exited on its own") }
            for log in await fleet.logFiles {
                let text = (try? String(contentsOfFile: log.path, encoding: .utf8)) ?? ""
                findings.merge(HistoryChecker.checkLog(text.split(separator: "\n"), secrets: ledger.secrets, logName: log.name + ".log"))
            }
            SoakReport(timeline: timeline, findings: findings, kinds: Dictionary(history.outputs.map { ($0.fact.kind, 1) }, uniquingKeysWith: +))
                .print()
            let answered = ledger.answers.values.map(\.count).reduce(0, +)
            print("calls: \(ledger.answers.count) idempotency keys, \(answered) answers (\(answered - ledger.answers.count) repeats)")
        } catch {
            await fleet.stopAll()
            await partition?.stop()
            await services.stop(ownPostgres: ownPostgres)
            print("soak failed: \(error); logs in \(directory)")
            throw ExitCode(2)
        }
        await services.stop(ownPostgres: ownPostgres)
        if keep || findings.total > 0 {
            print("run folder kept: \(directory)")
        } else {
            try? FileManager.default.removeItem(atPath: directory)
        }
        print("soak: inputs=\(ledger.inputs.count) outputs=\(outputCount) faults=\(timeline.count) anomalies=\(findings.total)")
        if findings.total > 0 { throw ExitCode(1) }
    }
}
