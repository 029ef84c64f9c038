import ArgumentParser
import Logging
import TransitCommandLine
import TransitDemo
import TransitHTTP
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore

/// `trialtransit worker …`: one kind of worker in this process.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run one kind of worker (several processes of one kind share the work through their consumer group).",
        subcommands: [ExampleWorkerCommand.self, TrialAccessWorkerCommand.self, TransportWorkerCommand.self]
    )
}

/// `trialtransit worker example`: the runtime's reference handler (for fault tests and benchmarks).
struct ExampleWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "example",
        abstract: "Run the reference handler: counts EnrollmentEvents per patient and emits one output per input.",
        discussion: """
            Example:
              trialtransit worker example --brokers 127.0.0.1:9092 --store sqlite:/tmp/example.sqlite \\
                --input-topic example.in --output-topic example.out
            """
    )

    @OptionGroup var process: WorkerProcessOptions

    @Option(help: "Topic of EnrollmentEvents to consume.")
    var inputTopic: String

    @Option(help: "Topic to emit outputs to.")
    var outputTopic: String

    @Option(help: "Consumer group. Default: trialtransit.example.")
    var group: String?

    @Option(help: "Capacity of the shared example-slots counter.")
    var slots = 1_000_000

    @Option(help: "Records per batch.")
    var batchSize = 1_000

    func run() async throws {
        let logger = CLILogging.logger(label: "trialtransit.worker.example")
        let (client, store) = try await process.start(clientID: "trialtransit-example", logger: logger)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client, linger: .milliseconds(1)), logger: logger)
        let relay = OutboxRelay(store: store, producer: producer, topics: process.topics.topics, logger: logger)
        let handler = ExampleHandler(inputTopic: inputTopic, outputTopic: outputTopic, slotCapacity: slots)
        let options = process.applied(to: WorkerOptions(batchSize: batchSize, groupID: group))
        let worker = Worker(
            handler: handler, store: store, relay: relay, client: client, topics: process.topics.topics, options: options,
            logger: logger)
        let web = try process.webServices(probing: WorkerProbes.worker(worker), store: store, relay: relay, logger: logger)
        print(
            "example worker: brokers \(client.bootstrapServers.joined(separator: ",")), store \(process.store.redacted), "
                + "group \(worker.groupID), \(process.membership.banner), \(process.http.banner())")
        try await ServiceRunner.run(web + [worker, OutboxGauges(store: store)], logger: logger)
        try await producer.close()
        try await store.close()
    }
}
