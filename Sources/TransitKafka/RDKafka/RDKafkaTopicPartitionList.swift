internal import CRdKafka

/// Owns an `rd_kafka_topic_partition_list_t`, destroyed in `deinit`, unless it was handed over with
/// ``init(borrowing:)`` (lists that librdkafka lends to callbacks, which it frees itself).
final class RDKafkaTopicPartitionList {
    let pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>
    private let owned: Bool

    init(capacity: Int = 4) {
        pointer = rd_kafka_topic_partition_list_new(Int32(clamping: capacity))
        owned = true
    }

    init(borrowing pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        self.pointer = pointer
        owned = false
    }

    convenience init(_ offsets: some Sequence<KafkaTopicPartitionOffset>) {
        self.init()
        for item in offsets { add(topic: item.topic, partition: item.partition, offset: item.offset) }
    }

    convenience init(_ partitions: some Sequence<KafkaTopicPartition>) {
        self.init()
        for item in partitions { add(topic: item.topic, partition: item.partition, offset: KafkaOffset.invalid) }
    }

    deinit {
        if owned { rd_kafka_topic_partition_list_destroy(pointer) }
    }

    func add(topic: String, partition: Int32, offset: Int64) {
        let element = rd_kafka_topic_partition_list_add(pointer, topic, partition)!
        element.pointee.offset = offset
    }

    var count: Int { Int(pointer.pointee.cnt) }

    /// Copies the entries out; `offset` is librdkafka's value for each.
    var offsets: [KafkaTopicPartitionOffset] {
        (0..<count).map { index in
            let element = pointer.pointee.elems[index]
            return KafkaTopicPartitionOffset(
                topic: String(cString: element.topic), partition: element.partition, offset: element.offset)
        }
    }

    var partitions: [KafkaTopicPartition] { offsets.map(\.topicPartition) }

    /// The first per-partition error, if any entry carries one.
    func firstError(_ what: String) -> KafkaError? {
        for index in 0..<count {
            let element = pointer.pointee.elems[index]
            if element.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                return KafkaError(
                    rdError: element.err, context: "\(what) \(String(cString: element.topic))/\(element.partition)")
            }
        }
        return nil
    }
}
