import Logging
import TransitBlocking
import Synchronization
import TransitTime

/// Consumes messages from Kafka through librdkafka, in batches or one by one.
///
/// Offsets are stored explicitly (``store(_:)``) and committed explicitly (``commit()``), unless
/// auto-commit is configured. Rebalances run the hook given at creation before partitions are
/// revoked and after they are assigned. Timed waits run on a dedicated thread; a poll first takes
/// what is already queued without blocking.
public final class KafkaConsumer: Sendable {
    private let client: RDKafkaClient
    private let queue: RDKafkaConsumerQueue
    private let blocking: BlockingExecutor
    private let closed = Atomic<Bool>(false)
    /// Held while a commit is started and while ``close()`` marks the consumer closed, so that no
    /// commit can start once closing began (see ``RDKafkaConsumerClose``).
    private let commitGate = Mutex<Void>(())
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
        let context = RDKafkaClientContext(logger: logger, rebalance: rebalance, group: configuration.groupID)
        var properties = configuration.properties
        if configuration.groupID == nil {
            // librdkafka's consumer queue exists only with a group id; a consumer that only assigns
            // partitions gets a private one and never commits.
            properties["group.id"] = "trialtransit-private-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        }
        client = try RDKafkaClient.makeConsumer(properties: properties, context: context)
        // The main queue (errors, logs, rebalances) goes into the consumer queue that poll serves.
        queue = client.consumerQueue()
        blocking = BlockingExecutor(label: "trialtransit.kafka.consumer.blocking")
        groupID = configuration.groupID
        leaveTimeout = configuration.sessionTimeout
    }

    // MARK: Subscription and assignment

    /// Joins the consumer group and subscribes to `topics` (partitions are assigned by the group).
    public func subscribe(topics: [String]) throws {
        try client.subscribe(topics)
        subscribed.store(true, ordering: .releasing)
    }

    /// Reads exactly these partitions from these offsets, outside group management.
    public func assign(_ partitions: [KafkaTopicPartitionOffset]) throws {
        try client.assign(partitions)
    }

    /// The partitions currently assigned to this consumer.
    public func assignment() throws -> [KafkaTopicPartition] {
        try client.assignment()
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
        // A refused certificate or credentials: librdkafka would retry for ever; stop with the reason.
        if messages.isEmpty, let refusal = client.handshakeRefusal() { throw refusal }
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
        try client.storeOffsets(offsets)
    }

    /// Commits the stored offsets and waits for the broker's answer (on a dedicated thread).
    public func commit() async throws {
        let client = self.client
        try refuseOnceClosing()
        try await blocking.run { try client.commitStoredOffsets() }
    }

    /// Commits explicit offsets (next offset to read per partition) and waits for the answer.
    public func commit(offsets: [KafkaTopicPartitionOffset]) async throws {
        try refuseOnceClosing()
        let client = self.client
        try await blocking.run { try client.commit(offsets) }
    }

    /// Commits the stored offsets, blocking the calling thread until the broker answered. For use
    /// where no suspension is possible; prefer ``commit()``.
    public func commitSync() throws {
        try refuseOnceClosing()
        try client.commitStoredOffsets()
    }

    /// Starts a commit of the stored offsets without waiting for the answer; ``close()`` waits for
    /// it (up to the leave time-out).
    public func commitAsync() throws {
        try commitGate.withLock { _ in
            if closed.load(ordering: .relaxed) { throw KafkaError.closed() }
            try client.startCommitOfStoredOffsets(answeringOn: queue.handle)
        }
    }

    /// Commits are refused once ``close()`` began: a commit that librdkafka serves after the
    /// group started terminating aborts the process (librdkafka 2.0.2).
    private func refuseOnceClosing() throws {
        if closed.load(ordering: .acquiring) { throw KafkaError.closed() }
    }

    /// The group's committed offsets for `partitions` (``KafkaOffset/invalid`` where none).
    public func committed(_ partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10)) async throws
        -> [KafkaTopicPartitionOffset]
    {
        let client = self.client
        return try await blocking.run { try client.committed(partitions, timeout: timeout) }
    }

    /// Moves the read position of assigned partitions.
    public func seek(_ positions: [KafkaTopicPartitionOffset], timeout: Duration = .seconds(10)) async throws {
        let client = self.client
        try await blocking.run { try client.seek(positions, timeout: timeout) }
    }

    /// Stops fetching from these partitions until ``resume(_:)``; the assignment is kept.
    public func pause(_ partitions: [KafkaTopicPartition]) throws {
        try client.pause(partitions)
    }

    /// Resumes fetching from paused partitions.
    public func resume(_ partitions: [KafkaTopicPartition]) throws {
        try client.resume(partitions)
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
        return try await KafkaPartitionLag.of(committed(targets, timeout: timeout), timeout: timeout, watermarks: watermarks)
    }

    /// For each partition, the offset of the first message whose timestamp is at or after
    /// `timestamp` (unix ms); ``KafkaOffset/end`` where there is none.
    public func offsets(forTimestamp timestamp: Int64, in partitions: [KafkaTopicPartition], timeout: Duration = .seconds(10))
        async throws -> [KafkaTopicPartitionOffset]
    {
        let client = self.client
        return try await blocking.run {
            try client.offsets(forTimestamp: timestamp, in: partitions, timeout: timeout)
        }
    }

    /// Topic metadata (all topics when `topic` is nil).
    public func metadata(topic: String? = nil, timeout: Duration = .seconds(10)) async throws -> [KafkaTopicMetadata] {
        let client = self.client
        return try await blocking.run { try client.metadata(topic: topic, timeout: timeout).topics }
    }

    // MARK: Closing

    /// Leaves the group (running the revoke hook and its commit first, waiting up to the session
    /// time-out for the revocation and for commits in flight to finish), then stops fetching. Safe
    /// during a rebalance. Commits started after this call began are refused.
    public func close() async throws {
        let alreadyClosed = commitGate.withLock { _ in closed.exchange(true, ordering: .acquiringAndReleasing) }
        guard !alreadyClosed else { return }
        let (client, queue, leaveTimeout) = (self.client, self.queue, self.leaveTimeout)
        let subscribed = self.subscribed.load(ordering: .acquiring)
        try await blocking.run {
            try RDKafkaConsumerClose.close(client, queue: queue.handle, subscribed: subscribed, leaveTimeout: leaveTimeout)
        }
    }
}
