/// Bytes and topic names shared by the messages of one consumed batch: every key and value of the
/// batch was copied out of librdkafka once, into one array.
final class KafkaBatchStorage: Sendable {
    let bytes: [UInt8]
    let topics: [String]

    init(bytes: [UInt8], topics: [String]) {
        self.bytes = bytes
        self.topics = topics
    }
}

/// A consumed message. Key and value view the batch's shared buffer; reading them copies nothing.
public struct KafkaConsumerMessage: Sendable {
    let storage: KafkaBatchStorage
    let topicIndex: Int
    let keyStart: Int
    /// -1 when the message has no key.
    let keyLength: Int
    let valueStart: Int
    let valueLength: Int

    public var partition: Int32
    public var offset: Int64
    /// Broker or producer timestamp in unix milliseconds, if the message has one.
    public var timestamp: Int64?
    public var headers: [KafkaHeader]

    init(
        storage: KafkaBatchStorage, topicIndex: Int, partition: Int32, offset: Int64, timestamp: Int64?,
        keyStart: Int, keyLength: Int, valueStart: Int, valueLength: Int, headers: [KafkaHeader]
    ) {
        self.storage = storage
        self.topicIndex = topicIndex
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.keyStart = keyStart
        self.keyLength = keyLength
        self.valueStart = valueStart
        self.valueLength = valueLength
        self.headers = headers
    }

    /// A message built from values (for tests and tools).
    public init(
        topic: String, partition: Int32, offset: Int64, timestamp: Int64?, key: [UInt8]?, value: [UInt8],
        headers: [KafkaHeader]
    ) {
        let keyBytes = key ?? []
        self.init(
            storage: KafkaBatchStorage(bytes: keyBytes + value, topics: [topic]), topicIndex: 0, partition: partition,
            offset: offset, timestamp: timestamp, keyStart: 0, keyLength: key == nil ? -1 : keyBytes.count,
            valueStart: keyBytes.count, valueLength: value.count, headers: headers)
    }

    public var topic: String { storage.topics[topicIndex] }

    /// The key, or nil for a message without key.
    public var key: ArraySlice<UInt8>? {
        keyLength < 0 ? nil : storage.bytes[keyStart..<(keyStart + keyLength)]
    }

    /// The value (payload).
    public var value: ArraySlice<UInt8> { storage.bytes[valueStart..<(valueStart + valueLength)] }

    /// Length of the value in bytes.
    public var valueCount: Int { valueLength }

    /// Lends the value bytes without creating a slice.
    public func withValueBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.bytes.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[valueStart..<(valueStart + valueLength)]))
        }
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
