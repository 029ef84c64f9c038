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

    @OptionGroup var configFile: ConfigFileOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var broker: BrokerOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var storeRetry: StoreRetryOptions
    @OptionGroup var topics: TopicOptions
    @OptionGroup var inbox: InboxOptions
    @OptionGroup var rpc: RPCServingOptions
    @OptionGroup var http: HTTPOptions
    @OptionGroup var statistics: StatisticsOptions
    @OptionGroup var membership: MembershipOptions

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
        try http.bootstrapMetrics()
        let client = try statistics.applied(to: try broker.clientConfiguration(clientID: "trialtransit-trial-access"), http: http)
        let store = try await self.store.open(logger: logger)
        var config = TrialAccessConfig.standard
        if let minutes = reservationTTLMinutes { config.reservationTTL = Int64(minutes) * Millis.minute }
        let parts = try await makeTrialAccessWorker(
            store: store, client: client, topics: topics.topics, catalogPath: catalog, config: config,
            options: self.storeRetry.applied(
                to: WorkerOptions(
                    batchSize: batchSize, groupID: group, sessionTimeout: .seconds(membership.sessionTimeout),
                    instanceID: membership.effectiveInstanceID, inboxRetention: inbox.retention,
                    idempotencyRetention: rpc.idempotencyRetention, replyTopics: rpc.replyTopics)),
            logger: logger)

        try await KafkaAdmin(configuration: client, logger: logger).createTopics(parts.handler.topicSpecifications())

        let worker = parts.worker
        let health = try HealthServices.make(
            serving: [TrialAccessService.name], name: "trial-access", client: client, topics: topics.topics,
            replyTopics: rpc.replyTopics, logger: logger, ready: { await worker.waitUntilSubscribed() })

        var probes = WorkerProbes.worker(worker)
        probes.append(WorkerProbes.store(store))
        probes.append(WorkerProbes.broker(parts.relay, topic: topics.topics.deadLetters))
        let web = try http.services(probes: probes, logger: logger)
        print(
            "trial-access worker: brokers \(client.bootstrapServers.joined(separator: ",")), store \(self.store.redacted), "
                + "group \(worker.groupID), catalog \(catalog) (\(parts.handler.startupCatalog.trials.count) trials), "
                + "topic prefix '\(topics.topics.prefix)', \(membership.banner), \(http.banner())")
        fflush(nil)
        // Shut down in reverse order: NOT_SERVING first, then the Health server, then the worker, HTTP last.
        try await ServiceRunner.run(web + [worker, OutboxGauges(store: store)] + health, logger: logger)
        try await parts.close()
        try await store.close()
    }
}
