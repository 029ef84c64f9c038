internal import CRdKafka
import TransitTime

/// The consumer calls of a client handle: subscription, assignment, stored and committed offsets,
/// positions, pausing and closing. Each throws a ``KafkaError`` for a librdkafka error.
extension RDKafkaClient {
    /// Creates a consumer handle whose rebalances run ``rebalanceCallback``.
    static func makeConsumer(properties: [String: String], context: RDKafkaClientContext) throws -> RDKafkaClient {
        try RDKafkaClient(kind: .consumer, properties: properties, context: context) { conf in
            rd_kafka_conf_set_rebalance_cb(conf, rebalanceCallback)
        }
    }

    /// Routes the main queue (errors, logs, rebalances) into the consumer queue, and returns that queue.
    func consumerQueue() -> RDKafkaConsumerQueue {
        rd_kafka_poll_set_consumer(handle)
        return RDKafkaConsumerQueue(handle: rd_kafka_queue_get_consumer(handle), client: self)
    }

    func subscribe(_ topics: [String]) throws {
        let list = RDKafkaTopicPartitionList(topics.map { KafkaTopicPartition(topic: $0, partition: -1) })
        let err = rd_kafka_subscribe(handle, list.pointer)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw error(err, "subscribe to \(topics)") }
    }

    func assign(_ partitions: [KafkaTopicPartitionOffset]) throws {
        let list = RDKafkaTopicPartitionList(partitions)
        let err = rd_kafka_assign(handle, list.pointer)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw error(err, "assign \(partitions)") }
    }

    func assignment() throws -> [KafkaTopicPartition] {
        var pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        let err = rd_kafka_assignment(handle, &pointer)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let pointer else { throw error(err, "assignment") }
        defer { rd_kafka_topic_partition_list_destroy(pointer) }
        return RDKafkaTopicPartitionList(borrowing: pointer).partitions
    }

    func storeOffsets(_ offsets: [KafkaTopicPartitionOffset]) throws {
        let list = RDKafkaTopicPartitionList(offsets)
        let err = rd_kafka_offsets_store(handle, list.pointer)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw error(err, "store offsets") }
        if let error = list.firstError("store offset") { throw error }
    }

    /// Commits the stored offsets and waits for the broker's answer; having none stored is not an
    /// error.
    func commitStoredOffsets(_ what: String = "commit") throws {
        let err = rd_kafka_commit(handle, nil, 0)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET {
            throw error(err, what)
        }
    }

    /// Starts a commit of the stored offsets. Its answer is served on `queue` (the consumer queue,
    /// which every poll serves), and until then it counts in ``RDKafkaClientContext/commitsInFlight``,
    /// which ``RDKafkaConsumerClose`` waits for.
    func startCommitOfStoredOffsets(answeringOn queue: OpaquePointer) throws {
        context.commitsInFlight.add(1, ordering: .relaxed)
        let opaque = Unmanaged.passUnretained(context).toOpaque()
        let err = rd_kafka_commit_queue(handle, nil, queue, commitAnswered, opaque)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            context.commitsInFlight.subtract(1, ordering: .relaxed)
            if err != RD_KAFKA_RESP_ERR__NO_OFFSET { throw error(err, "commit") }
        }
    }

    /// Commits explicit offsets and blocks until the broker answered.
    func commit(_ offsets: [KafkaTopicPartitionOffset]) throws {
        let list = RDKafkaTopicPartitionList(offsets)
        let err = rd_kafka_commit(handle, list.pointer, 0)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw error(err, "commit") }
        if let error = list.firstError("commit") { throw error }
    }

    func committed(_ partitions: [KafkaTopicPartition], timeout: Duration) throws -> [KafkaTopicPartitionOffset] {
        let list = RDKafkaTopicPartitionList(partitions)
        let err = rd_kafka_committed(handle, list.pointer, Int32(clamping: timeout.milliseconds))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw error(err, "committed offsets") }
        return list.offsets
    }

    func seek(_ positions: [KafkaTopicPartitionOffset], timeout: Duration) throws {
        let list = RDKafkaTopicPartitionList(positions)
        if let failure = rd_kafka_seek_partitions(handle, list.pointer, Int32(clamping: timeout.milliseconds)) {
            defer { rd_kafka_error_destroy(failure) }
            throw error(rd_kafka_error_code(failure), "seek")
        }
        if let error = list.firstError("seek") { throw error }
    }

    func pause(_ partitions: [KafkaTopicPartition]) throws {
        let list = RDKafkaTopicPartitionList(partitions)
        let err = rd_kafka_pause_partitions(handle, list.pointer)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw error(err, "pause") }
    }

    func resume(_ partitions: [KafkaTopicPartition]) throws {
        let list = RDKafkaTopicPartitionList(partitions)
        let err = rd_kafka_resume_partitions(handle, list.pointer)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw error(err, "resume") }
    }

    /// For each partition, the first offset whose timestamp is at or after `timestamp` (unix ms).
    func offsets(forTimestamp timestamp: Int64, in partitions: [KafkaTopicPartition], timeout: Duration) throws
        -> [KafkaTopicPartitionOffset]
    {
        let list = RDKafkaTopicPartitionList(
            partitions.map { KafkaTopicPartitionOffset(topic: $0.topic, partition: $0.partition, offset: timestamp) })
        let err = rd_kafka_offsets_for_times(handle, list.pointer, Int32(clamping: timeout.milliseconds))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw error(err, "offsets for timestamp \(timestamp)") }
        if let error = list.firstError("offsets for timestamp") { throw error }
        return list.offsets
    }

}

/// Counts an asynchronous commit as answered (its outcome is not needed: a commit that failed only
/// means a re-delivery, which the inbox absorbs). Served by whoever polls the consumer queue.
private func commitAnswered(
    _ rk: OpaquePointer?, _ err: rd_kafka_resp_err_t,
    _ offsets: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?, _ opaque: UnsafeMutableRawPointer?
) {
    guard let opaque else { return }
    let context = Unmanaged<RDKafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
    context.commitsInFlight.subtract(1, ordering: .relaxed)
    if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET {
        context.logger.warning("asynchronous offset commit failed", metadata: [KafkaLoggingKeys.error: "\(KafkaError(rdError: err))"])
    }
}
