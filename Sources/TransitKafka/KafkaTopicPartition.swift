/// One partition of one topic.
public struct KafkaTopicPartition: Hashable, Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32

    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)/\(partition)" }
}

/// A partition with an offset: a position to read from, a committed offset, or an offset found by time.
public struct KafkaTopicPartitionOffset: Hashable, Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    /// The offset; see ``KafkaOffset`` for the special values.
    public var offset: Int64

    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }

    public var topicPartition: KafkaTopicPartition { KafkaTopicPartition(topic: topic, partition: partition) }
    public var description: String { "\(topic)/\(partition)@\(offset)" }
}

/// Special offsets understood by Kafka clients.
public enum KafkaOffset {
    /// The oldest offset still kept.
    public static let beginning: Int64 = -2
    /// The offset after the last message (only new messages).
    public static let end: Int64 = -1
    /// The committed offset of the consumer group.
    public static let stored: Int64 = -1000
    /// No offset (e.g. nothing committed yet).
    public static let invalid: Int64 = -1001
}

/// Metadata of one topic as the broker reported it.
public struct KafkaTopicMetadata: Sendable {
    public var name: String
    public var partitions: [KafkaPartitionMetadata]
    /// Set when the broker reported an error for this topic (e.g. it does not exist).
    public var error: KafkaError?
}

/// Metadata of one partition.
public struct KafkaPartitionMetadata: Sendable, Hashable {
    public var id: Int32
    /// Broker id of the partition leader.
    public var leader: Int32
}

/// Committed position, end offset and lag of one partition for one consumer group.
public struct KafkaPartitionLag: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    /// Next offset the group will read; nil when the group has committed nothing for the partition.
    public var committed: Int64?
    /// The partition's high watermark (offset of the next message to be written).
    public var end: Int64
    /// The partition's low watermark (oldest offset still kept).
    public var start: Int64
    /// Messages not yet consumed by the group: `end - committed`, or `end - start` without a commit.
    public var lag: Int64 { end - (committed ?? start) }

    /// The lag of each partition in `committed`, with its watermarks from `watermarks` (the
    /// admin's or the consumer's, asked of the broker).
    static func of(
        _ committed: [KafkaTopicPartitionOffset], timeout: Duration,
        watermarks: (String, Int32, Duration) async throws -> (low: Int64, high: Int64)
    ) async throws -> [KafkaPartitionLag] {
        var result: [KafkaPartitionLag] = []
        for entry in committed {
            let (low, high) = try await watermarks(entry.topic, entry.partition, timeout)
            result.append(
                KafkaPartitionLag(
                    topic: entry.topic, partition: entry.partition, committed: entry.offset >= 0 ? entry.offset : nil,
                    end: high, start: low))
        }
        return result
    }
}
