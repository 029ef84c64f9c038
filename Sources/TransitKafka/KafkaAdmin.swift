import Logging
import TransitBlocking

/// A topic to create.
public struct KafkaTopicSpecification: Sendable, Hashable {
    public var name: String
    /// Number of partitions. Default: 3.
    public var partitions: Int
    /// Replication factor. Default: 1 (local broker); use 3 in production.
    public var replicationFactor: Int
    /// Topic configs, e.g. `["cleanup.policy": "compact"]`.
    public var configs: [String: String]

    public init(name: String, partitions: Int = 3, replicationFactor: Int = 1, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
    }
}

/// Administrative operations: topics, metadata, committed offsets and lag of consumer groups.
public final class KafkaAdmin: Sendable {
    private let configuration: KafkaClientConfiguration
    private let client: RDKafkaClient
    private let blocking: BlockingExecutor
    private let logger: Logger

    public init(configuration: KafkaClientConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        var properties = configuration.properties
        properties.merge(configuration.rawProperties) { _, raw in raw }
        properties["statistics.interval.ms"] = nil  // statistics are the workers' clients', not admin's
        client = try RDKafkaClient(kind: .producer, properties: properties, context: RDKafkaClientContext(logger: logger))
        blocking = BlockingExecutor(label: "trialtransit.kafka.admin")
    }

    /// Creates topics. With `ignoreExisting` (the default) a topic that already exists is not an
    /// error, so this can be called at every start. Returns the names actually created.
    @discardableResult
    public func createTopics(
        _ topics: [KafkaTopicSpecification], ignoreExisting: Bool = true, timeout: Duration = .seconds(30)
    ) async throws -> [String] {
        // One request may name a topic once (a broker answers duplicates in a way librdkafka rejects).
        var seen = Set<String>()
        let unique = topics.filter { seen.insert($0.name).inserted }
        guard !unique.isEmpty else { return [] }
        let client = self.client
        return try await blocking.run {
            try RDKafkaAdminRequest.createTopics(client, unique, ignoreExisting: ignoreExisting, timeout: timeout)
        }
    }

    /// Deletes the records of each partition before the given offset, which becomes its low
    /// watermark (Kafka's DeleteRecords; the records are gone for every reader).
    public func deleteRecords(
        before offsets: [KafkaTopicPartitionOffset], timeout: Duration = .seconds(30)
    ) async throws {
        guard !offsets.isEmpty else { return }
        let client = self.client
        try await blocking.run { try RDKafkaAdminRequest.deleteRecords(client, before: offsets, timeout: timeout) }
    }

    /// Deletes topics (missing ones are ignored).
    public func deleteTopics(_ names: [String], timeout: Duration = .seconds(30)) async throws {
        guard !names.isEmpty else { return }
        let client = self.client
        try await blocking.run { try RDKafkaAdminRequest.deleteTopics(client, names, timeout: timeout) }
    }

    /// Topics with their partitions (internal topics such as `__consumer_offsets` included).
    public func listTopics(timeout: Duration = .seconds(10)) async throws -> [KafkaTopicMetadata] {
        let client = self.client
        return try await blocking.run { try client.metadata(topic: nil, timeout: timeout).topics }
            .sorted { $0.name < $1.name }
    }

    /// Metadata of one topic; throws ``KafkaError/Code/unknownTopic`` when it does not exist.
    public func describeTopic(_ name: String, timeout: Duration = .seconds(10)) async throws -> KafkaTopicMetadata {
        let topics = try await listTopics(timeout: timeout)
        guard let topic = topics.first(where: { $0.name == name }), topic.error == nil, !topic.partitions.isEmpty else {
            throw KafkaError(code: .unknownTopic, message: "topic \(name) does not exist")
        }
        return topic
    }

    /// Low and high watermark offsets of a partition.
    public func watermarks(topic: String, partition: Int32, timeout: Duration = .seconds(10)) async throws
        -> (low: Int64, high: Int64)
    {
        let client = self.client
        return try await blocking.run { try client.watermarks(topic: topic, partition: partition, timeout: timeout) }
    }

    /// The committed offsets of consumer group `group` on every partition of `topics`
    /// (``KafkaOffset/invalid`` where the group committed nothing).
    public func committedOffsets(group: String, topics: [String], timeout: Duration = .seconds(10)) async throws
        -> [KafkaTopicPartitionOffset]
    {
        var partitions: [KafkaTopicPartition] = []
        for topic in topics {
            let metadata = try await describeTopic(topic, timeout: timeout)
            partitions += metadata.partitions.map { KafkaTopicPartition(topic: topic, partition: $0.id) }
        }
        // A group member that never subscribes only reads the group's offsets; it does not join.
        let reader = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: configuration, groupID: group), logger: logger)
        defer { Task { try? await reader.close() } }
        return try await reader.committed(partitions, timeout: timeout)
    }

    /// Committed offset, end offset and lag per partition of `topics` for consumer group `group`.
    public func lag(group: String, topics: [String], timeout: Duration = .seconds(10)) async throws -> [KafkaPartitionLag] {
        try await KafkaPartitionLag.of(
            committedOffsets(group: group, topics: topics, timeout: timeout), timeout: timeout, watermarks: watermarks)
    }

    /// For each partition of `topic`, the first offset at or after `timestamp` (unix ms).
    public func offsets(forTimestamp timestamp: Int64, topic: String, timeout: Duration = .seconds(10)) async throws
        -> [KafkaTopicPartitionOffset]
    {
        let metadata = try await describeTopic(topic, timeout: timeout)
        let client = self.client
        let partitions = metadata.partitions.map { KafkaTopicPartition(topic: topic, partition: $0.id) }
        return try await blocking.run {
            try client.offsets(forTimestamp: timestamp, in: partitions, timeout: timeout)
        }
    }
}
