import ArgumentParser
import Foundation
import Logging
import TransitCommandLine
import TransitHTTP
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire
import TransportBooking
import TransportWorker

/// `trialtransit worker transport`: books rides with the configured partners.
struct TransportWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transport",
        abstract: "Run the transport-booking worker: travel requests in, ride offers to partners, booking events out.",
        discussion: """
            Reads travel.requests.v1, trial.access.events.v1, every configured partner's updates topic and \
            rpc.trialtransit.v1.TransportBooking.requests; writes transport.booking.events.v1, the partners' \
            requests topics and trialtransit.audit.v1. Serves Health for trialtransit.v1.TransportBooking. \
            Missing topics are created at start.

            Example:
              trialtransit worker transport --brokers 127.0.0.1:9092 --store sqlite:/tmp/transport.sqlite \\
                --partners samples/partners.json
            """
    )

    @OptionGroup var process: WorkerProcessOptions
    @OptionGroup var rpc: RPCServingOptions
    @OptionGroup var bookingIDKey: BookingIDKeyOptions
    @OptionGroup var travelDay: TravelDayOptions

    @Option(help: "Partner file (format: docs/TRANSPORT.md, \"Partner file\").")
    var partners = "samples/partners.json"

    @Option(help: "Consumer group. Default: \(WorkerOptions.defaultGroupID(workerName: TransportHandler.workerName)).")
    var group: String?

    @Option(help: "Records per batch.")
    var batchSize = 1_000

    func validate() throws {
        try requireReadableFile(partners, option: "--partners")
    }

    func run() async throws {
        let logger = CLILogging.logger(label: "trialtransit.worker.transport")
        let directory = try PartnerDirectory.load(file: partners)
        let (client, store) = try await process.start(clientID: "trialtransit-transport", logger: logger)
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: client, linger: .milliseconds(1)), logger: logger)
        let relay = OutboxRelay(store: store, producer: producer, topics: process.topics.topics, logger: logger)
        let bookingIDs = try await bookingIDKey.keyring(store: store, logger: logger)
        let worker = makeTransportWorker(
            partners: directory, bookingIDs: bookingIDs, store: store, relay: relay, client: client, topics: process.topics.topics,
            options: process.applied(
                to: WorkerOptions(
                    batchSize: batchSize, groupID: group, idempotencyRetention: rpc.idempotencyRetention,
                    replyTopics: rpc.replyTopics)),
            config: travelDay.bookingConfig, logger: logger)
        try await KafkaAdmin(configuration: client, logger: logger).createTopics(worker.handler.topicSpecifications())

        let health = try HealthServices.make(
            serving: [TransportBookingService.name], name: "transport", client: client, topics: process.topics.topics,
            replyTopics: rpc.replyTopics, logger: logger, ready: { await worker.waitUntilSubscribed() })

        let web = try process.webServices(probing: WorkerProbes.worker(worker), store: store, relay: relay, logger: logger)
        print(
            "transport worker: brokers \(client.bootstrapServers.joined(separator: ",")), store \(process.store.redacted), "
                + "group \(worker.groupID), partners \(directory.partners.map(\.id).joined(separator: ",")) from \(partners), "
                + "topic prefix '\(process.topics.topics.prefix)', \(process.membership.banner), \(process.http.banner())")
        // Shut down in reverse order: NOT_SERVING first, then the Health server, then the worker, HTTP last.
        try await ServiceRunner.run(web + [worker, OutboxGauges(store: store)] + health, logger: logger)
        try await producer.close()
        try await store.close()
    }
}
