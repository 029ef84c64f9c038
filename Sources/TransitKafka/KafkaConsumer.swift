import CRdKafka
import Logging
import TransitBlocking
import Synchronization

/// Consumes messages from Kafka through librdkafka, in batches or one by one.
///
/// Offsets are stored explicitly (``store(_:)``) and committed explicitly (``commit()``), unless
/// auto-commit is configured. Rebalances run the hook given at creation before partitions are
/// revoked and after they are assigned. Timed waits run on a dedicated thread; a poll first takes
/// what is already queued without blocking.
public final class KafkaConsumer: Sendable {
    private let client: RDKafkaClient
    private let queue: ConsumerQueue
    private let blocking: BlockingExecutor
    private let closed = Atomic<Bool>(false)
    private let subscribed = Atomic<Bool>(false)
    /// How long ``close()`` serves the revocation before closing anyway.
    private let leaveTimeout: Duration
    /// The group id, if the consumer belongs to one.
    public let groupID: String?

    /// Creates the consumer. Throws ``KafkaError/Code/invalidConfiguration`` with librdkafka's
    /// message when a property is unknown or invalid.
    public init(
        configuration: KafkaConsumerConfiguration, rebalanceHook: KafkaRebalanceHook? = nil, logger: Logger
    ) throws {
        var logger = logger
        if let groupID = configuration.groupID { logger[metadataKey: KafkaLoggingKeys.groupID] = "\(groupID)" }
        let rebalance = RebalanceState(commitOnRevoke: configuration.commitOnRevoke, hook: rebalanceHook)
        let context = RDKafkaClientContext(logger: logger, rebalance: rebalance)
        var properties = configuration.properties
        if configuration.groupID == nil {
            // librdkafka's consumer queue exists only with a group id; a consumer that only assigns
            // partitions gets a private one and never commits.
            properties["group.id"] = "trialtransit-private-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        }
        client = try RDKafkaClient(kind: .consumer, properties: properties, context: context) { conf in
            rd_kafka_conf_set_rebalance_cb(conf, rebalanceCallback)
        }
        // Route the main queue (errors, logs, rebalances) into the consumer queue that poll serves.
        rd_kafka_poll_set_consumer(client.handle)
        queue = ConsumerQueue(handle: rd_kafka_queue_get_consumer(client.handle), client: client)
        blocking = BlockingExecutor(label: "trialtransit.kafka.consumer.blocking")
        groupID = configuration.groupID
        leaveTimeout = configuration.sessionTimeout
    }

    // MARK: Subscription and assignment

    /// Joins the consumer group and subscribes to `topics` (partitions are assigned by the group).
    public func subscribe(topics: [String]) throws {
        let list = RDKafkaTopicPartitionList(topics.map { KafkaTopicPartition(topic: $0, partition: -1) })
        let err = rd_kafka_subscribe(client.handle, list.pointer)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw client.error(err, "subscribe to \(topics)") }
        subscribed.store(true, ordering: .releasing)
    }

    /// Reads exactly these partitions from these offsets, outside group management.
    public func assign(_ partitions: [KafkaTopicPartitionOffset]) throws {
        let list = RDKafkaTopicPartitionList(partitions)
        let err = rd_kafka_assign(client.handle, list.pointer)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw client.error(err, "assign \(partitions)") }
    }

    /// The partitions currently assigned to this consumer.
    public func assignment() throws -> [KafkaTopicPartition] {
        var pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let err = rd_kafka_assignment(client.handle, &pointer)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let pointer else { throw client.error(err, "assignment") }
        defer { rd_kafka_topic_partition_list_destroy(pointer) }
        return RDKafkaTopicPartitionList(borrowing: pointer).partitions
    }

    // MARK: Reading

    /// Returns up to `maxMessages` messages. Takes what is queued without blocking; when nothing is,
    /// waits up to `timeout` (on a dedicated thread) for the first message. An empty batch means
    /// nothing arrived in time. Rebalance hooks run inside this call.
    ///
    /// With `offPool`, the whole call runs on the consumer's dedicated thread, so a rebalance hook
    /// that blocks (waiting for a batch another task is still writing) never holds a thread of
    /// Swift's cooperative pool.
    public func poll(maxMessages: Int = 1_000, timeout: Duration = .milliseconds(100), offPool: Bool = false) async throws
        -> KafkaMessageBatch
    {
        if closed.load(ordering: .relaxed) { throw KafkaError.closed() }
        let reader = RDKafkaBatchReader(client: client, queue: queue.handle)
        if offPool {
            return try checked(try await blocking.run { reader.read(max: maxMessages, timeout: timeout) })
        }
        let ready = reader.read(max: maxMessages, timeout: .zero)
        if !ready.isEmpty || timeout <= .zero { return try checked(ready) }
        let waited = try await blocking.run { reader.read(max: maxMessages, timeout: timeout) }
        return try checked(waited)
    }

    private func checked(_ messages: [KafkaConsumerMessage]) throws -> KafkaMessageBatch {
        if messages.isEmpty, let fatal = client.fatalError() { throw fatal }
        return KafkaMessageBatch(messages: messages)
    }

    /// The messages one at a time, as an `AsyncSequence` that polls in batches of `batchSize`.
    /// It ends when the task is cancelled or the consumer closed.
    public func messages(batchSize: Int = 1_000) -> KafkaMessageSequence {
        KafkaMessageSequence(consumer: self, batchSize: batchSize)
    }

    /// Batches as an `AsyncSequence`; empty polls are skipped. Ends on cancellation or close.
    public func batches(maxMessages: Int = 1_000) -> KafkaBatchSequence {
        KafkaBatchSequence(consumer: self, maxMessages: maxMessages)
    }

    var isClosed: Bool { closed.load(ordering: .relaxed) }

    // MARK: Offsets

    /// Stores, for each partition of the batch, the offset after its last message; the next commit
    /// (explicit or automatic) writes them to the group.
    public func store(_ batch: KafkaMessageBatch) throws {
        try store(offsets: batch.nextOffsets)
    }

    /// Stores the offset after `message` for its partition.
    public func store(_ message: KafkaConsumerMessage) throws {
        try store(offsets: [KafkaTopicPartitionOffset(topic: message.topic, partition: message.partition, offset: message.offset + 1)])
    }

    /// Stores explicit next offsets (the offset of the next message to read, per partition).
    public func store(offsets: [KafkaTopicPartitionOffset]) throws {
        guard !offsets.isEmpty else { return }
        let list = RDKafkaTopicPartitionList(offsets)
        let err = rd_kafka_offsets_store(client.handle, list.pointer)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw client.error(err, "store offsets") }
        if let error = list.firstError("store offset") { throw error }
    }

    /// Commits the stored offsets and waits for the broker's answer (on a dedicated thread).
    public func commit() async throws {
        let client = self.client
        try await blocking.run { try Self.commitStored(client, async: false) }
    }

    /// Commits explicit offsets (next offset to read per partition) and waits for the answer.
    public func commit(offsets: [KafkaTopicPartitionOffset]) async throws {
        let client = self.client
        try await blocking.run {
            let list = RDKafkaTopicPartitionList(offsets)
            let err = rd_kafka_commit(client.handle, list.pointer, 0)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw client.error(err, "commit") }
            if let error = list.firstError("commit") { throw error }
        }
    }

    /// Commits the stored offsets, blocking the calling thread until the broker answered. For use
    /// where no suspension is possible; prefer ``commit()``.
    public func commitSync() throws {
        try Self.commitStored(client, async: false)
    }

    /// Starts a commit of the stored offsets without waiting for the answer.
    public func commitAsync() throws {
        try Self.commitStored(client, async: true)
    }

    private static func commitStored(_ client: RDKafkaClient, async: Bool) throws {
        let err = rd_kafka_commit(client.handle, nil, async ? 1 : 0)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET {
            throw client.error(err, "commit")
        }
    }

    /// The group's committed offsets for `partitions` (``KafkaOffset/invalid`` where none).
    public func committed(_ partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10)) async throws
        -> [KafkaTopicPartitionOffset]
    {
        let client = self.client
        return try await blocking.run {
            let list = RDKafkaTopicPartitionList(partitions)
            let err = rd_kafka_committed(client.handle, list.pointer, Int32(clamping: timeout.milliseconds))
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw client.error(err, "committed offsets") }
            return list.offsets
        }
    }

    /// Moves the read position of assigned partitions.
    public func seek(_ positions: [KafkaTopicPartitionOffset], timeout: Duration = .seconds(10)) async throws {
        let client = self.client
        try await blocking.run {
            let list = RDKafkaTopicPartitionList(positions)
            if let error = rd_kafka_seek_partitions(client.handle, list.pointer, Int32(clamping: timeout.milliseconds)) {
                defer { rd_kafka_error_destroy(error) }
                throw client.error(rd_kafka_error_code(error), "seek")
            }
            if let error = list.firstError("seek") { throw error }
        }
    }

    /// Stops fetching from these partitions until ``resume(_:)``; the assignment is kept.
    public func pause(_ partitions: [KafkaTopicPartition]) throws {
        let list = RDKafkaTopicPartitionList(partitions)
        let err = rd_kafka_pause_partitions(client.handle, list.pointer)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw client.error(err, "pause") }
    }

    /// Resumes fetching from paused partitions.
    public func resume(_ partitions: [KafkaTopicPartition]) throws {
        let list = RDKafkaTopicPartitionList(partitions)
        let err = rd_kafka_resume_partitions(client.handle, list.pointer)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw client.error(err, "resume") }
    }

    /// Low and high watermark offsets of a partition, asked of the broker.
    public func watermarks(topic: String, partition: Int32, timeout: Duration = .seconds(10)) async throws
        -> (low: Int64, high: Int64)
    {
        let client = self.client
        return try await blocking.run { try client.watermarks(topic: topic, partition: partition, timeout: timeout) }
    }

    /// Committed offset, end offset and lag of every assigned partition (or of `partitions`).
    public func lag(_ partitions: [KafkaTopicPartition]? = nil, timeout: Duration = .seconds(10)) async throws
        -> [KafkaPartitionLag]
    {
        let targets = try partitions ?? assignment()
        let committed = try await self.committed(targets, timeout: timeout)
        var result: [KafkaPartitionLag] = []
        for entry in committed {
            let (low, high) = try await watermarks(topic: entry.topic, partition: entry.partition, timeout: timeout)
            result.append(
                KafkaPartitionLag(
                    topic: entry.topic, partition: entry.partition, committed: entry.offset >= 0 ? entry.offset : nil,
                    end: high, start: low))
        }
        return result
    }

    /// For each partition, the offset of the first message whose timestamp is at or after
    /// `timestamp` (unix ms); ``KafkaOffset/end`` where there is none.
    public func offsets(forTimestamp timestamp: Int64, in partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10))
        async throws -> [KafkaTopicPartitionOffset]
    {
        let client = self.client
        return try await blocking.run {
            try RDKafkaOffsets.forTimestamp(client, timestamp: timestamp, partitions: partitions, timeout: timeout)
        }
    }

    /// Topic metadata (all topics when `topic` is nil).
    public func metadata(topic: String? = nil, timeout: Duration = .seconds(10)) async throws -> [KafkaTopicMetadata] {
        let client = self.client
        return try await blocking.run { try client.metadata(topic: topic, timeout: timeout).topics }
    }

    // MARK: Closing

    /// Leaves the group (running the revoke hook and its commit first, waiting up to the session
    /// time-out for the revocation to finish), then stops fetching. Safe during a rebalance.
    public func close() async throws {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let (client, queue, leaveTimeout) = (self.client, self.queue, self.leaveTimeout)
        let subscribed = self.subscribed.load(ordering: .acquiring)
        try await blocking.run {
            try RDKafkaConsumerClose.close(client, queue: queue.handle, subscribed: subscribed, leaveTimeout: leaveTimeout)
        }
    }
}

/// Owns the consumer queue reference. It keeps the client alive, so the queue is destroyed before
/// the client handle (`rd_kafka_destroy` closes the consumer if ``KafkaConsumer/close()`` was not called).
final class ConsumerQueue: @unchecked Sendable {
    let handle: OpaquePointer
    private let client: RDKafkaClient
    init(handle: OpaquePointer, client: RDKafkaClient) {
        self.handle = handle
        self.client = client
    }
    deinit { rd_kafka_queue_destroy(handle) }
}

enum RDKafkaOffsets {
    static func forTimestamp(
        _ client: RDKafkaClient, timestamp: Int64, partitions: [KafkaTopicPartition], timeout: Duration
    ) throws -> [KafkaTopicPartitionOffset] {
        let list = RDKafkaTopicPartitionList(
            partitions.map { KafkaTopicPartitionOffset(topic: $0.topic, partition: $0.partition, offset: timestamp) })
        let err = rd_kafka_offsets_for_times(client.handle, list.pointer, Int32(clamping: timeout.milliseconds))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw client.error(err, "offsets for timestamp \(timestamp)") }
        if let error = list.firstError("offsets for timestamp") { throw error }
        return list.offsets
    }
}
