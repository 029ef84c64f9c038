import Logging
import TransitKafka
import TransitStore

/// Reads topics from their beginning and keeps what it read, so a test can wait for more.
public final class TopicReader {
    private let consumer: KafkaConsumer
    private let client: KafkaClientConfiguration
    private let topics: [String]
    /// Everything read so far, in the order it arrived (per partition: offset order).
    public private(set) var messages: [KafkaConsumerMessage] = []

    /// Starts reading every partition of `topics` from offset 0.
    public init(_ topics: [String], client: KafkaClientConfiguration? = nil) async throws {
        let client = try client ?? TestEnvironment.client
        let logger = TestEnvironment.logger("topic-reader")
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        var start: [KafkaTopicPartitionOffset] = []
        for topic in topics {
            for partition in try await Self.partitions(of: topic, admin: admin) {
                start.append(KafkaTopicPartitionOffset(topic: topic, partition: partition.id, offset: KafkaOffset.beginning))
            }
        }
        consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: client, fetchWaitMax: .milliseconds(20)), logger: logger)
        try consumer.assign(start)
        self.topics = topics
        self.client = client
    }

    /// The partitions of `topic`, waiting for the topic to exist: a topic that auto-creation makes
    /// at its first write (dead letters, replies) may not be there yet when a test starts reading.
    private static func partitions(of topic: String, admin: KafkaAdmin) async throws -> [KafkaPartitionMetadata] {
        var partitions: [KafkaPartitionMetadata] = []
        var last = "not described yet"
        try await waitUntil("topic \(topic) to exist", every: .milliseconds(200), saw: { last }) {
            do {
                partitions = try await admin.describeTopic(topic).partitions
                return !partitions.isEmpty
            } catch let error as KafkaError where error.code == .unknownTopic {
                last = "\(error)"
                return false
            }
        }
        return partitions
    }

    public convenience init(_ topic: String, client: KafkaClientConfiguration? = nil) async throws {
        try await self.init([topic], client: client)
    }

    /// Reads until `done` holds for everything read so far; returns everything read. Throws
    /// ``WaitTimeout`` naming the topics and what was read when `timeout` passes first.
    @discardableResult
    public func read(
        _ what: String = "the expected records", timeout: Duration = .seconds(90),
        until done: ([KafkaConsumerMessage]) throws -> Bool
    ) async throws -> [KafkaConsumerMessage] {
        let clock = ContinuousClock()
        let start = clock.now
        while try !done(messages) {
            if clock.now - start >= timeout {
                throw WaitTimeout(what: "\(what) on \(topics)", waited: clock.now - start, saw: summary)
            }
            messages += try await consumer.poll(timeout: .milliseconds(100))
        }
        return messages
    }

    /// Reads until at least `count` records arrived.
    @discardableResult
    public func read(count: Int, timeout: Duration = .seconds(90)) async throws -> [KafkaConsumerMessage] {
        try await read("\(count) records", timeout: timeout) { $0.count >= count }
    }

    /// Reads until every partition of the reader's topics has been read up to the high watermark
    /// it has now: everything written so far, and nothing that comes later is waited for.
    @discardableResult
    public func readToEnd(timeout: Duration = .seconds(90)) async throws -> [KafkaConsumerMessage] {
        let admin = try KafkaAdmin(configuration: client, logger: TestEnvironment.logger("topic-reader"))
        var ends: [String: Int64] = [:]
        for topic in topics {
            for partition in try await admin.describeTopic(topic).partitions {
                ends["\(topic)/\(partition.id)"] = try await admin.watermarks(topic: topic, partition: partition.id).high
            }
        }
        return try await read("every record up to the high watermarks \(ends)", timeout: timeout) { messages in
            var next: [String: Int64] = [:]
            for message in messages { next["\(message.topic)/\(message.partition)"] = message.offset + 1 }
            return ends.allSatisfy { partition, end in end == 0 || (next[partition] ?? 0) >= end }
        }
    }

    /// How many records were read, per topic and partition, and the last keys.
    public var summary: String {
        var perPartition: [String: Int] = [:]
        for message in messages { perPartition["\(message.topic)/\(message.partition)", default: 0] += 1 }
        let counts = perPartition.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        let lastKeys = messages.suffix(5).map { $0.key.map { String(decoding: $0, as: UTF8.self) } ?? "-" }
        return "\(messages.count) records (\(counts.isEmpty ? "none" : counts)); last keys \(lastKeys)"
    }

    public func close() async {
        try? await consumer.close()
    }
}

/// Reads `topic` from its beginning until `done` holds (throws ``WaitTimeout`` with what it read
/// when `timeout` passes first); the reader is closed afterwards.
public func readTopic(
    _ topic: String, client: KafkaClientConfiguration? = nil, timeout: Duration = .seconds(90),
    until done: ([KafkaConsumerMessage]) throws -> Bool
) async throws -> [KafkaConsumerMessage] {
    let reader = try await TopicReader(topic, client: client)
    do {
        let messages = try await reader.read(timeout: timeout, until: done)
        await reader.close()
        return messages
    } catch {
        await reader.close()
        throw error
    }
}

/// Every record `topic` holds now: reads up to the high watermarks taken at the start.
public func readWholeTopic(
    _ topic: String, client: KafkaClientConfiguration? = nil, timeout: Duration = .seconds(90)
) async throws -> [KafkaConsumerMessage] {
    let wanted = try await presentRecordCount(topic, client: client)
    guard wanted > 0 else { return [] }
    return try await readTopic(topic, client: client, timeout: timeout) { $0.count >= wanted }
}

/// The sum of `topic`'s high watermarks: how many records were ever written to it.
public func recordCount(_ topic: String, client: KafkaClientConfiguration? = nil) async throws -> Int {
    let admin = try KafkaAdmin(configuration: try client ?? TestEnvironment.client, logger: TestEnvironment.logger("watermarks"))
    var total: Int64 = 0
    for partition in try await admin.describeTopic(topic).partitions {
        total += try await admin.watermarks(topic: topic, partition: partition.id).high
    }
    return Int(total)
}

/// How many records `topic` holds now: the sum of high minus low watermarks (records deleted with
/// DeleteRecords, as `trialtransit dlq purge` does, are not there to be read).
public func presentRecordCount(_ topic: String, client: KafkaClientConfiguration? = nil) async throws -> Int {
    let admin = try KafkaAdmin(configuration: try client ?? TestEnvironment.client, logger: TestEnvironment.logger("watermarks"))
    var total: Int64 = 0
    for partition in try await admin.describeTopic(topic).partitions {
        let marks = try await admin.watermarks(topic: topic, partition: partition.id)
        total += marks.high - marks.low
    }
    return Int(total)
}

/// Waits until consumer group `group` has committed every record its `topics` hold now (lag 0 on
/// every partition): each of those records was processed and its effects committed to the store.
public func waitUntilConsumed(
    group: String, topics: [String], client: KafkaClientConfiguration? = nil, timeout: Duration = .seconds(90)
) async throws {
    let admin = try KafkaAdmin(configuration: try client ?? TestEnvironment.client, logger: TestEnvironment.logger("lag"))
    var last = "no lag read yet"
    try await waitUntil(
        "group \(group) to commit everything on \(topics)", timeout: timeout, every: .milliseconds(250), saw: { last }
    ) {
        let lag = try await admin.lag(group: group, topics: topics)
        last = lag.map { "\($0.topic)/\($0.partition): committed \($0.committed.map(String.init) ?? "none") of \($0.end)" }
            .joined(separator: ", ")
        return lag.allSatisfy { $0.lag == 0 }
    }
}

/// Waits until each group has consumed its input topics (every record there now processed and its
/// effects committed to the store) and every store's outbox is published, then reads `reader` to
/// the end. After it, `reader.messages` holds every effect of every input published so far: the
/// deterministic way to see that "nothing more arrives" (timers that fire later aside).
public func settle(
    _ reader: TopicReader, groups: [(group: String, topics: [String])], stores: [any TransitStore],
    timeout: Duration = .seconds(90)
) async throws {
    for (group, topics) in groups { try await waitUntilConsumed(group: group, topics: topics, timeout: timeout) }
    for store in stores {
        var pending = 0
        try await waitUntil("the outbox to be published", timeout: timeout, saw: { "\(pending)+ rows pending" }) {
            pending = try await store.pendingOutbox(after: 0, limit: 100, scope: .all).count
            return pending == 0
        }
    }
    try await reader.readToEnd(timeout: timeout)
}
