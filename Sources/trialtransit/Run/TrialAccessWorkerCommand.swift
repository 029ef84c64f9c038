import ArgumentParser
import Foundation
import Logging
import TransitCommandLine
import TransitHTTP
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitWire
import TrialAccess
import TrialAccessWorker

/// `trialtransit worker trial-access`: eligibility, site slots, enrollment states, visits and consent.
struct TrialAccessWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trial-access",
        abstract:
            "Run the trial-access worker: enrollment events, travel requests, the trial catalogue and TrialAccess RPCs.",
        discussion: """
            Also answers trialtransit.v1.Health/Check for trialtransit.v1.TrialAccess (SERVING once subscribed).
            Example:
              trialtransit worker trial-access --brokers 127.0.0.1:9092 --store sqlite:/tmp/trialtransit.sqlite \\
                --catalog samples/catalog.json --reservation-ttl-minutes 60
            """
    )

    @OptionGroup var process: WorkerProcessOptions
    @OptionGroup var rpc: RPCServingOptions

    @Option(help: "Start-up trial catalogue (JSON, see docs/TRIAL_ACCESS.md §9); trial.catalog.v1 updates it live.")
    var catalog = "samples/catalog.json"

    @Option(help: "Minutes a reserved screening slot is held before screening must start. Default: 14 days.")
    var reservationTTLMinutes: Int?

    @Option(help: "Consumer group. Default: \(WorkerOptions.defaultGroupID(workerName: TrialAccessHandler.workerName)).")
    var group: String?

    @Option(help: "Records per batch.")
    var batchSize = 1_000

    func validate() throws {
        try requireReadableFile(catalog, option: "--catalog")
        if let minutes = reservationTTLMinutes, minutes <= 0 {
            throw ValidationError("--reservation-ttl-minutes must be positive")
        }
    }

    func run() async throws {
        let logger = CLILogging.logger(label: "trialtransit.worker.trial-access")
        let (client, store) = try await process.start(clientID: "trialtransit-trial-access", logger: logger)
        var config = TrialAccessConfig.standard
        if let minutes = reservationTTLMinutes { config.reservationTTL = Int64(minutes) * Millis.minute }
        let parts = try await makeTrialAccessWorker(
            store: store, client: client, topics: process.topics.topics, catalogPath: catalog, config: config,
            options: process.applied(
                to: WorkerOptions(
                    batchSize: batchSize, groupID: group, idempotencyRetention: rpc.idempotencyRetention,
                    replyTopics: rpc.replyTopics)),
            logger: logger)

        try await KafkaAdmin(configuration: client, logger: logger).createTopics(parts.handler.topicSpecifications())

        let worker = parts.worker
        let health = try HealthServices.make(
            serving: [TrialAccessService.name], name: "trial-access", client: client, topics: process.topics.topics,
            replyTopics: rpc.replyTopics, logger: logger, ready: { await worker.waitUntilSubscribed() })

        let web = try process.webServices(probing: WorkerProbes.worker(worker), store: store, relay: parts.relay, logger: logger)
        print(
            "trial-access worker: brokers \(client.bootstrapServers.joined(separator: ",")), store \(process.store.redacted), "
                + "group \(worker.groupID), catalog \(catalog) (\(parts.handler.startupCatalog.trials.count) trials), "
                + "topic prefix '\(process.topics.topics.prefix)', \(process.membership.banner), \(process.http.banner())")
        fflush(nil)
        // Shut down in reverse order: NOT_SERVING first, then the Health server, then the worker, HTTP last.
        try await ServiceRunner.run(web + [worker, OutboxGauges(store: store)] + health, logger: logger)
        try await parts.close()
        try await store.close()
    }
}
