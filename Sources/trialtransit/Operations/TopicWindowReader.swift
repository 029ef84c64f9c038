import TransitKafka

/// The offsets `[start, end)` of one partition to read.
struct PartitionRange: Sendable, Hashable {
    var partition: Int32
    var start: Int64
    var end: Int64

    var count: Int64 { max(0, end - start) }
}

/// Reads fixed offset ranges of one topic with an assigned consumer (no group, nothing committed).
///
/// Each range ends at an offset fixed before reading (at most the high watermark at start), so a
/// replay onto its own topic never reads what it publishes. A partition whose last offsets are
/// missing (compaction) ends when nothing arrives for `idleTimeout`.
struct TopicWindowReader {
    let session: OperationsSession
    let topic: String
    let ranges: [PartitionRange]
    var idleTimeout: Duration = .seconds(5)

    /// Records in the ranges (an upper bound for compacted topics).
    var total: Int { Int(ranges.reduce(0) { $0 + $1.count }) }

    /// Calls `body` with every record of the ranges, per partition in offset order. Returns the
    /// partitions that ended early (idle time-out before their end offset).
    @discardableResult
    func read(_ body: (KafkaConsumerMessage) async throws -> Void) async throws -> [Int32] {
        var remaining: [Int32: PartitionRange] = [:]
        for range in ranges where range.count > 0 { remaining[range.partition] = range }
        guard !remaining.isEmpty else { return [] }
        let consumer = try session.reader()
        try consumer.assign(remaining.values.map { KafkaTopicPartitionOffset(topic: topic, partition: $0.partition, offset: $0.start) })
        let clock = ContinuousClock()
        var lastProgress = clock.now
        do {
            while !remaining.isEmpty {
                let batch = try await consumer.poll(maxMessages: 500, timeout: .milliseconds(200))
                if batch.isEmpty {
                    if clock.now - lastProgress > idleTimeout { break }
                    continue
                }
                lastProgress = clock.now
                for message in batch {
                    guard let range = remaining[message.partition], message.offset >= range.start else { continue }
                    if message.offset >= range.end {
                        remaining[message.partition] = nil
                        continue
                    }
                    try await body(message)
                    if message.offset >= range.end - 1 { remaining[message.partition] = nil }
                }
            }
        } catch {
            try? await consumer.close()
            throw error
        }
        try? await consumer.close()
        return remaining.keys.sorted()
    }

    /// Ranges from per-partition start offsets to the high watermarks (now), optionally cut at the
    /// first offset at or after `endTime`.
    static func ranges(
        session: OperationsSession, topic: String, starts: [Int32: Int64], endTime: Int64?
    ) async throws -> [PartitionRange] {
        var ends: [Int32: Int64] = [:]
        if let endTime {
            for entry in try await session.admin.offsets(forTimestamp: endTime, topic: topic, timeout: session.timeout)
            where entry.offset >= 0 {
                ends[entry.partition] = entry.offset
            }
        }
        var ranges: [PartitionRange] = []
        for (partition, start) in starts.sorted(by: { $0.key < $1.key }) {
            let (low, high) = try await session.admin.watermarks(topic: topic, partition: partition, timeout: session.timeout)
            let begin = start < 0 ? high : max(start, low)
            let end = min(high, ends[partition] ?? high)
            ranges.append(PartitionRange(partition: partition, start: begin, end: max(begin, end)))
        }
        return ranges
    }
}
