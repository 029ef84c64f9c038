import ArgumentParser
import Foundation
import Logging
import TransitCommandLine
import TransitHTTP
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitWire
import TransportBooking
import TransportWorker
import TrialAccess
import TrialAccessWorker

/// `trialtransit run`: every worker in one process, on the embedded defaults.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run every worker (trial access and transport) in one process.",
        discussion: """
            Defaults: SQLite store sqlite:trialtransit.sqlite, samples/catalog.json, samples/partners.json. \
            Also answers trialtransit.v1.Health/Check for both services. SIGTERM or SIGINT shuts down \
            gracefully (finish the batch, flush the outbox, commit, leave the groups); a second signal exits at once.
            Examples:
              trialtransit run --brokers 127.0.0.1:9092
              TRIALTRANSIT_BROKERS=kafka:9092 TRIALTRANSIT_STORE=postgres://trialtransit@db:5432/trialtransit trialtransit run
            """
    )

    @OptionGroup var process: WorkerProcessOptions
    @OptionGroup var rpc: RPCServingOptions
    @OptionGroup var bookingIDKey: BookingIDKeyOptions
    @OptionGroup var travelDay: TravelDayOptions

    @Option(help: "Start-up trial catalogue (JSON); trial.catalog.v1 updates it live.")
    var catalog = "samples/catalog.json"

    @Option(help: "Partner configuration (JSON).")
    var partners = "samples/partners.json"

    @Option(help: "Records per batch.")
    var batchSize = 1_000

    func validate() throws {
        try requireReadableFile(catalog, option: "--catalog")
        try requireReadableFile(partners, option: "--partners")
    }

    func run() async throws {
        let logger = CLILogging.logger(label: "trialtransit.run")
        let (client, store) = try await process.start(clientID: "trialtransit-run", logger: logger)
        let directory = try PartnerDirectory.load(file: partners)
        let options = process.applied(
            to: WorkerOptions(batchSize: batchSize, idempotencyRetention: rpc.idempotencyRetention, replyTopics: rpc.replyTopics))
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client, linger: .milliseconds(1)), logger: logger)
        // One relay for the store: both workers' outbox rows go out once, in order.
        let relay = OutboxRelay(store: store, producer: producer, topics: process.topics.topics, logger: logger)
        let transport = makeTransportWorker(
            partners: directory, bookingIDs: try await bookingIDKey.keyring(store: store, logger: logger), store: store, relay: relay, client: client, topics: process.topics.topics, options: options,
            config: travelDay.bookingConfig, logger: logger)
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        try await admin.createTopics(transport.handler.topicSpecifications())
        let trialAccess = try await makeTrialAccessWorker(
            store: store, client: client, topics: process.topics.topics, catalogPath: catalog, config: .standard, options: options,
            relay: relay, logger: logger)
        try await admin.createTopics(trialAccess.handler.topicSpecifications())

        let accessWorker = trialAccess.worker
        let health = try HealthServices.make(
            serving: [TrialAccessService.name, TransportBookingService.name], name: "run", client: client,
            topics: process.topics.topics, replyTopics: rpc.replyTopics, logger: logger,
            ready: {
                await accessWorker.waitUntilSubscribed()
                await transport.waitUntilSubscribed()
            })
        var workers = WorkerProbes.worker(accessWorker)
        workers.append(WorkerProbes.worker(transport))
        let web = try process.webServices(probing: workers, store: store, relay: relay, logger: logger)
        print(
            "trialtransit run: brokers \(client.bootstrapServers.joined(separator: ",")), store \(process.store.redacted), "
                + "workers trial-access (group \(accessWorker.groupID)) and transport (group \(transport.groupID)), "
                + "\(directory.partners.count) partners, topic prefix '\(process.topics.topics.prefix)', \(process.membership.banner), \(process.http.banner())")
        fflush(nil)
        // HTTP first, so it stops last: /readyz answers 503 while the workers shut down.
        try await ServiceRunner.run(web + [accessWorker, transport, OutboxGauges(store: store)] + health, logger: logger)
        try await trialAccess.close()
        try await producer.close()
        try await store.close()
    }
}
