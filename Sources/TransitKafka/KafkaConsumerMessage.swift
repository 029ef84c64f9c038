/// A consumed message. Key, value and header bytes were copied out of librdkafka once, into one
/// buffer shared by the whole batch; the slices below view that buffer without further copies.
public struct KafkaConsumerMessage: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// Broker or producer timestamp in unix milliseconds, if the message has one.
    public var timestamp: Int64?
    public var key: ArraySlice<UInt8>?
    public var value: ArraySlice<UInt8>
    public var headers: [KafkaHeader]

    public init(
        topic: String, partition: Int32, offset: Int64, timestamp: Int64?, key: ArraySlice<UInt8>?,
        value: ArraySlice<UInt8>, headers: [KafkaHeader]
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// The key decoded as UTF-8.
    public var keyString: String? { key.map { String(decoding: $0, as: UTF8.self) } }

    /// The partition and the offset of the message.
    public var position: KafkaTopicPartitionOffset {
        KafkaTopicPartitionOffset(topic: topic, partition: partition, offset: offset)
    }
}

/// The messages returned by one ``KafkaConsumer/poll(maxMessages:timeout:)`` call, in the order
/// librdkafka delivered them (per-partition order is kept).
public struct KafkaMessageBatch: RandomAccessCollection, Sendable {
    public var messages: [KafkaConsumerMessage]

    public init(messages: [KafkaConsumerMessage]) {
        self.messages = messages
    }

    public var startIndex: Int { messages.startIndex }
    public var endIndex: Int { messages.endIndex }
    public subscript(position: Int) -> KafkaConsumerMessage { messages[position] }

    /// For each partition in the batch, the offset after its last message: what to store or commit.
    public var nextOffsets: [KafkaTopicPartitionOffset] {
        var highest: [KafkaTopicPartition: Int64] = [:]
        for message in messages {
            let key = KafkaTopicPartition(topic: message.topic, partition: message.partition)
            highest[key] = Swift.max(highest[key] ?? -1, message.offset)
        }
        return highest.map { KafkaTopicPartitionOffset(topic: $0.key.topic, partition: $0.key.partition, offset: $0.value + 1) }
            .sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
    }
}
