import TransitKafka

/// Proving that nothing was written to a topic: a sentinel record goes to each of its partitions
/// after the action under test, and the topic is read from the beginning until every sentinel came
/// back; whatever came before them is what the action wrote.
public enum SentinelReading {
    /// The header that marks a sentinel record.
    public static let header = "test-sentinel"

    /// The records of `topic` before this call's sentinels (sentinels excluded). Throws
    /// ``WaitTimeout`` naming what was read when a sentinel does not come back in time.
    public static func recordsBeforeSentinels(
        _ topic: String, client: KafkaClientConfiguration? = nil, timeout: Duration = .seconds(90)
    ) async throws -> [KafkaConsumerMessage] {
        let client = try client ?? TestEnvironment.client
        let logger = TestEnvironment.logger("sentinel")
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        let partitions = try await admin.describeTopic(topic).partitions.map(\.id)
        let mark = uniqueName("sentinel")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: logger)
        try await producer.send(
            partitions.map {
                KafkaProducerMessage(
                    topic: topic, partition: $0, key: mark, value: [], headers: [KafkaHeader(name: header, string: mark)])
            })
        try await producer.close()
        let all = try await readTopic(topic, client: client, timeout: timeout) { read in
            Set(read.filter { $0.headers.string(header) == mark }.map(\.partition)) == Set(partitions)
        }
        var before: [KafkaConsumerMessage] = []
        for partition in partitions {
            let records = all.filter { $0.partition == partition }.sorted { $0.offset < $1.offset }
            before += records.prefix { $0.headers.string(header) != mark }
        }
        return before.filter { $0.headers.string(header) == nil }
    }
}
