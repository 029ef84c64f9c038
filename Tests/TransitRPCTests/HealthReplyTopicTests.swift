import TransitKafka
import TransitRPC
import TransitWire
import Testing
import TransitTestSupport

/// The Health server answers only reply topics: a Check whose `reply-to` names a partner or event
/// topic writes nothing there, and is audited and counted.
@Suite("Health: reply topics only", .timeLimit(.minutes(3)))
struct HealthReplyTopicTests {
    @Test func aCheckWhoseReplyToNamesAPartnerOrEventTopicIsRefusedAuditedAndCounted() async throws {
        let topics = RPCTestSupport.topics()
        let strays = [topics.partnerRequests("metro-taxi"), topics.trialAccessEvents]
        let admin = try KafkaAdmin(configuration: RPCTestSupport.client, logger: RPCTestSupport.logger)
        try await admin.createTopics((strays + [topics.audit]).map { KafkaTopicSpecification(name: $0, partitions: 1) })

        let health = HealthStatus(services: [TrialAccessService.descriptor.name])
        health.set(.serving)
        var router = RPCRouter<Void>()
        router.registerHealth(health, knownServices: [TrialAccessService.descriptor.name, HealthService.descriptor.name])
        let server = try RPCServer(
            router: router, client: RPCTestSupport.client, groupID: nil, topics: topics, logger: RPCTestSupport.logger)
        let client = try RPCClient(
            client: RPCTestSupport.client, clientID: "health-\(UInt32.random(in: 0...UInt32.max))", topics: topics,
            logger: RPCTestSupport.logger)
        let serverTask = Task { try await server.run() }
        let clientTask = Task { try await client.run() }
        defer {
            serverTask.cancel()
            clientTask.cancel()
        }
        // The server reads from the topic's end: wait until it answers.
        try await waitUntilHealthAnswers(client)

        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: RPCTestSupport.client), logger: RPCTestSupport.logger)
        try await producer.send(
            strays.enumerated().map { index, target in
                KafkaProducerMessage(
                    topic: topics.rpcRequests(service: HealthService.descriptor.name), key: nil,
                    value: HealthCheckRequest().wireBytes(),
                    headers: [
                        KafkaHeader(name: TransitHeaders.rpcMethod, string: HealthService.check.path),
                        KafkaHeader(name: TransitHeaders.correlationID, string: "stray-\(index)"),
                        KafkaHeader(name: TransitHeaders.replyTo, string: target),
                    ])
            })
        // A proper Check after them on the one request partition: answered means they were handled.
        let answer = try await client.call(HealthService.check, HealthCheckRequest(), deadline: .seconds(30))
        #expect(answer.status == .serving)

        for target in strays {
            let written = try await Self.recordsBeforeSentinel(target, producer: producer)
            #expect(written.isEmpty, "\(target) got \(written.count) records")
        }
        try await producer.close()
        let audit = try await Self.read(topics.audit) { $0.count >= 2 }
        let records = audit.compactMap { try? AuditRecord(wireBytes: $0.value) }.filter { $0.action == .requestRefused }
        #expect(Set(records.compactMap { $0.details["reply-to"] }) == Set(strays))
        #expect(records.allSatisfy { $0.details["method"] == HealthService.check.path })
        #expect(server.refusedReplyTopics == 2)
    }

    /// Writes a sentinel to partition 0 of `topic` and returns what precedes it.
    private static func recordsBeforeSentinel(_ topic: String, producer: KafkaProducer) async throws -> [KafkaConsumerMessage] {
        let mark = "sentinel-\(UInt64.random(in: 0...UInt64.max))"
        try await producer.send(
            KafkaProducerMessage(
                topic: topic, partition: 0, key: nil, value: [], headers: [KafkaHeader(name: "test-sentinel", string: mark)]))
        let read = try await read(topic) { $0.contains { $0.headers.string("test-sentinel") == mark } }
        guard read.contains(where: { $0.headers.string("test-sentinel") == mark }) else {
            throw SentinelMissing(topic: topic, seen: read.count)
        }
        return Array(read.prefix { $0.headers.string("test-sentinel") != mark })
    }

    struct SentinelMissing: Error {
        let topic: String
        let seen: Int
    }

    /// Partition 0 of `topic` from the beginning until `done` holds, or 60 s.
    private static func read(_ topic: String, until done: ([KafkaConsumerMessage]) -> Bool) async throws
        -> [KafkaConsumerMessage]
    {
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: RPCTestSupport.client), logger: RPCTestSupport.logger)
        try consumer.assign([KafkaTopicPartitionOffset(topic: topic, partition: 0, offset: KafkaOffset.beginning)])
        var all: [KafkaConsumerMessage] = []
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while !done(all) && clock.now < deadline { all += try await consumer.poll(timeout: .milliseconds(200)) }
        try await consumer.close()
        return all
    }
}
