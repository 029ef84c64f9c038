import TransitKafka
import TransitRPC

/// A record of the dead-letter topic with its provenance headers (docs/CONTRACT.md §4) read out.
struct DeadLetterEntry: Sendable {
    let message: KafkaConsumerMessage

    var sourceTopic: String? { message.headers.string(TransitHeaders.dlqSourceTopic) }
    var sourcePartition: Int32? { message.headers.string(TransitHeaders.dlqSourcePartition).flatMap { Int32($0) } }
    var sourceOffset: Int64? { message.headers.string(TransitHeaders.dlqSourceOffset).flatMap { Int64($0) } }
    var group: String? { message.headers.string(TransitHeaders.dlqConsumerGroup) }
    var attempts: String? { message.headers.string(TransitHeaders.dlqAttempts) }
    var code: String? { message.headers.string(TransitHeaders.dlqErrorCode) }
    var reason: String? { message.headers.string(TransitHeaders.dlqError) }
    var failedAt: Int64? { message.headers.string(TransitHeaders.dlqFailedAt).flatMap { Int64($0) } }

    /// The original headers (without `dlq-*`).
    var originalHeaders: [KafkaHeader] { message.headers.filter { !$0.name.hasPrefix("dlq-") } }

    /// Where it sits in the dead-letter topic, `P:O`.
    var position: String { "\(message.partition):\(message.offset)" }

    /// Where the original record was, `<topic>/<partition>/<offset>`.
    var provenance: String {
        "\(sourceTopic ?? "?")/\(sourcePartition.map(String.init) ?? "?")/\(sourceOffset.map(String.init) ?? "?")"
    }
}

/// Which dead letters a `dlq` command looks at.
struct DeadLetterQuery: Sendable {
    var sourceTopic: String?
    var code: String?
    var group: String?

    func matches(_ entry: DeadLetterEntry) -> Bool {
        (sourceTopic == nil || entry.sourceTopic == sourceTopic) && (code == nil || entry.code == code)
            && (group == nil || entry.group == group)
    }
}

/// Reads the dead-letter topic.
enum DeadLetterReader {
    /// Every dead letter now in the topic (or only those at `positions`, `P:O`), in partition and offset order.
    static func read(session: OperationsSession, positions: [KafkaTopicPartitionOffset]? = nil) async throws -> [DeadLetterEntry] {
        let topic = session.topics.deadLetters
        let metadata = try session.requireTopic(topic)
        var entries: [DeadLetterEntry] = []
        let ranges: [PartitionRange]
        if let positions {
            let known = Set(metadata.partitions.map(\.id))
            for position in positions where !known.contains(position.partition) {
                throw OperationError("dead letter \(position.partition):\(position.offset) does not exist: \(topic) has no partition \(position.partition)")
            }
            var starts: [Int32: Int64] = [:]
            for position in positions { starts[position.partition] = min(starts[position.partition] ?? .max, position.offset) }
            ranges = try await TopicWindowReader.ranges(session: session, topic: topic, starts: starts, endTime: nil)
        } else {
            var starts: [Int32: Int64] = [:]
            for partition in metadata.partitions { starts[partition.id] = 0 }
            ranges = try await TopicWindowReader.ranges(session: session, topic: topic, starts: starts, endTime: nil)
        }
        let wanted = positions.map { Set($0.map { "\($0.partition):\($0.offset)" }) }
        let reader = TopicWindowReader(session: session, topic: topic, ranges: ranges)
        try await reader.read { message in
            let entry = DeadLetterEntry(message: message)
            if wanted?.contains(entry.position) ?? true { entries.append(entry) }
        }
        if let wanted {
            let found = Set(entries.map(\.position))
            if let missing = wanted.subtracting(found).sorted().first {
                throw OperationError("dead letter \(missing) does not exist in \(topic)")
            }
        }
        return entries.sorted { ($0.message.partition, $0.message.offset) < ($1.message.partition, $1.message.offset) }
    }
}
