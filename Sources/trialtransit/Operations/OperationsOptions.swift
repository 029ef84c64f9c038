import ArgumentParser
import Logging
import TransitCommandLine
import TransitKafka
import TransitRPC

/// Broker, topic prefix and time-out options shared by the operations commands.
struct OperationsOptions: ParsableArguments {
    @OptionGroup var broker: BrokerOptions
    @OptionGroup var topicOptions: TopicOptions

    @Option(help: "Seconds to wait for the broker to answer before giving up.")
    var timeout = 10

    var topics: TransitTopics { topicOptions.topics }

    /// Connects: checks that the broker answers and reads the topic list once.
    func connect(clientID: String = "trialtransit-ops") async throws -> OperationsSession {
        try await OperationsSession(options: self, clientID: clientID)
    }
}

/// A connection to the brokers for one operations command: the admin client, the topic list read
/// at start, and factories for producers and consumers with the same settings.
struct OperationsSession: Sendable {
    let client: KafkaClientConfiguration
    let admin: KafkaAdmin
    let topics: TransitTopics
    let catalog: TopicCatalog
    let timeout: Duration
    let logger: Logger
    /// Topics on the broker when the command started, by name.
    let existing: [String: KafkaTopicMetadata]

    init(options: OperationsOptions, clientID: String) async throws {
        logger = OperationsLogging.logger(label: "trialtransit.ops")
        var client: KafkaClientConfiguration
        do {
            client = try options.broker.clientConfiguration(clientID: clientID)
        } catch let error as ValidationError {
            throw OperationError(error.message)
        }
        timeout = .seconds(max(1, options.timeout))
        client.requestTimeout = timeout
        self.client = client
        topics = options.topics
        catalog = TopicCatalog(topics: options.topics)
        let servers = client.bootstrapServers.joined(separator: ",")
        do {
            admin = try KafkaAdmin(configuration: client, logger: logger)
            let list = try await admin.listTopics(timeout: timeout)
            existing = Dictionary(list.filter { $0.error == nil && !$0.partitions.isEmpty }.map { ($0.name, $0) }) { first, _ in first }
        } catch let error as KafkaError {
            throw OperationError("cannot reach the Kafka broker at \(servers): \(error.message)")
        }
    }

    /// The metadata of `name`, or a one-line error when the topic does not exist.
    func requireTopic(_ name: String) throws -> KafkaTopicMetadata {
        guard let topic = existing[name] else {
            let hint = topics.prefix.isEmpty || name.hasPrefix(topics.prefix) ? "" : " (topic prefix is '\(topics.prefix)')"
            throw OperationError("unknown topic '\(name)': it does not exist on the broker\(hint)")
        }
        return topic
    }

    /// A producer with the contract's partitioner; sends are acknowledged by the broker.
    func producer() throws -> KafkaProducer {
        try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: client, linger: .milliseconds(2), deliveryTimeout: timeout * 3),
            logger: logger)
    }

    /// A consumer outside any group, for reading exact partitions and offsets.
    func reader() throws -> KafkaConsumer {
        try KafkaConsumer(configuration: KafkaConsumerConfiguration(client: client, fetchWaitMax: .milliseconds(50)), logger: logger)
    }
}

/// Logging of the operations commands: silent below `critical` unless `TRIALTRANSIT_LOG_LEVEL`
/// asks otherwise, so that a failure is the one-line error the command prints.
enum OperationsLogging {
    static func logger(label: String) -> Logger {
        var logger = CLILogging.logger(label: label)
        if environment("TRIALTRANSIT_LOG_LEVEL") == nil { logger.logLevel = .critical }
        return logger
    }
}
