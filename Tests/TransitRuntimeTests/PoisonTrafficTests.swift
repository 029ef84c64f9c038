import Foundation
import Synchronization
import Testing
import TransitTestSupport
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire

/// Poison traffic from outside, against the real broker and a real SQLite file: a 1.5 MB input
/// and Health requests whose `reply-to` names an illegal topic (refused by the reply-topic rule) or
/// a missing reply topic are each dead-lettered once, while the next 1,000 valid events go through
/// within 60 s and nothing stops.
@Suite("Poison traffic", .timeLimit(.minutes(4)))
struct PoisonTrafficTests {
    static let oversized = 1_500_000

    @Test func aHugeInputAndUnanswerableHealthRequestsAreDeadLetteredOnceAndTheNextThousandEventsGoThrough() async throws {
        let (_, output, topics) = try await RuntimeTestSupport.topics("poison-traffic", partitions: 2)
        let input = try await Self.roomyInputTopic(topics)
        let (path, store) = try await RuntimeTestSupport.migratedSQLite()
        defer { RuntimeTestSupport.removeSQLite(path) }
        let running = try RuntimeTestSupport.startWorker(
            store: store, input: input, output: output, topics: topics, group: RuntimeTestSupport.unique("g"))
        defer { running.task.cancel() }
        let workerEnd = EndWatch(running.task)
        await running.worker.waitUntilSubscribed()

        let health = HealthStatus(services: [HealthService.name])
        health.set(.serving)
        var router = RPCRouter<Void>()
        router.registerHealth(health, knownServices: [HealthService.name])
        let server = try RPCServer(router: router, client: RuntimeTestSupport.client, groupID: nil, topics: topics, logger: RuntimeTestSupport.logger)
        let serverTask = Task { try await server.run() }
        defer { serverTask.cancel() }
        let serverEnd = EndWatch(serverTask)
        let client = try RPCClient(
            client: RuntimeTestSupport.client, clientID: RuntimeTestSupport.unique("c"), topics: topics, logger: RuntimeTestSupport.logger)
        let clientTask = Task { try await client.run() }
        defer { clientTask.cancel() }
        try await waitUntilHealthAnswers(client)

        // A reply topic the rule admits but that does not exist.
        let missing = topics.rpcReplies(clientID: RuntimeTestSupport.unique("missing"))
        try await Self.sendHealthRequests(replyingTo: ["bad reply topic!", missing], topics: topics)
        try await Self.publishOversized(to: input)
        let clock = ContinuousClock()
        let start = clock.now
        let events = (0..<1_000).map { RuntimeTestSupport.event("next-\($0)", patient: "p-\($0 % 50)") }
        try await RuntimeTestSupport.publish(events, to: input)

        let outputs = try await RuntimeTestSupport.read(output, timeout: .seconds(60)) { Set(RuntimeTestSupport.outputIDs($0)).count >= 1_000 }
        let elapsed = clock.now - start
        expectExactly(RuntimeTestSupport.outputIDs(outputs), events.map { $0.eventId + "/out" })
        #expect(elapsed < .seconds(60), "took \(elapsed)")
        #expect(!workerEnd.hasEnded && !serverEnd.hasEnded, "worker and server still run")
        let answer = try await client.call(HealthService.check, HealthCheckRequest(), deadline: .seconds(10))
        #expect(answer.status == .serving, "the Health server still answers")

        // Each poison once: the request naming an illegal topic refused at the reply-topic rule
        // (REPLY_TO_NOT_ALLOWED, audited too); the one naming a missing reply topic as a
        // PUBLISH_FAILED dead letter (a broker that creates topics on use, as the local one does,
        // takes its reply instead); the huge input in the dead outbox.
        let admin = try KafkaAdmin(configuration: RuntimeTestSupport.client, logger: RuntimeTestSupport.logger)
        func coded(_ letters: [KafkaConsumerMessage], _ code: String) -> [KafkaConsumerMessage] {
            letters.filter { $0.headers.string(TransitHeaders.dlqErrorCode) == code }
        }
        var letters: [KafkaConsumerMessage] = []
        var createdOnUse = false
        try await waitUntil("both requests dead-lettered (or the missing topic created on use)", saw: { "\(letters.count) dead letters" }) {
            letters = try await readWholeTopic(topics.deadLetters)
            createdOnUse = (try? await admin.describeTopic(missing)) != nil
            return coded(letters, ReplyRefusal.reasonCode).count >= 1 && (coded(letters, "PUBLISH_FAILED").count >= 1 || createdOnUse)
        }
        print("poison traffic: 1,000 events through in \(elapsed); missing reply topic created on use: \(createdOnUse)")
        let refused = coded(letters, ReplyRefusal.reasonCode)
        #expect(refused.count == 1)
        #expect(refused.first?.headers.string(TransitHeaders.replyTo) == "bad reply topic!")
        let unpublished = coded(letters, "PUBLISH_FAILED")
        #expect(unpublished.count == (createdOnUse ? 0 : 1))
        #expect(unpublished.allSatisfy { $0.headers.string(TransitHeaders.dlqIntendedTopic) == missing })
        #expect(letters.count == refused.count + unpublished.count, "nothing else dead-lettered")
        #expect(server.refusedReplyTopics == 1)
        #expect(server.failedReplies >= unpublished.count)
        let dead = try await Self.deadOutbox(path)
        #expect(dead.count == 1)
        #expect(dead.first?.message.value.count == Self.oversized)
        #expect(dead.first?.message.headers.contains { $0.name == TransitHeaders.dlqErrorCode && $0.value == Array("DECODE_FAILED".utf8) } == true)
        running.worker.stop()
        try await running.task.value
        try await running.producer.close()
    }

    /// The same through a `trialtransit worker example` process: it keeps running, and
    /// `trialtransit dlq list --store` shows the huge input in the dead outbox.
    @Test func aWorkerProcessDeadLettersAHugeInputOnceAndKeepsGoing() async throws {
        let (_, output, topics) = try await RuntimeTestSupport.topics("poison-process", partitions: 2)
        let input = try await Self.roomyInputTopic(topics)
        let path = RuntimeTestSupport.sqlitePath()
        defer { RuntimeTestSupport.removeSQLite(path) }
        let process = try RuntimeTestSupport.spawnWorker(
            store: "sqlite:" + path, input: input, output: output, topics: topics, group: RuntimeTestSupport.unique("g"), slots: 1_000_000)
        defer { if process.isRunning { process.terminate() } }

        try await Self.publishOversized(to: input)
        let events = (0..<1_000).map { RuntimeTestSupport.event("proc-\($0)", patient: "p-\($0 % 50)") }
        let clock = ContinuousClock()
        let start = clock.now
        try await RuntimeTestSupport.publish(events, to: input)
        let outputs = try await RuntimeTestSupport.read(output, timeout: .seconds(90)) { Set(RuntimeTestSupport.outputIDs($0)).count >= 1_000 }
        expectExactly(RuntimeTestSupport.outputIDs(outputs), events.map { $0.eventId + "/out" })
        #expect(clock.now - start < .seconds(90), "took \(clock.now - start) (process start-up included)")
        #expect(process.isRunning, "the worker process keeps running")

        let (executable, brokers) = (try RuntimeTestSupport.executable, try RuntimeTestSupport.brokers)
        let listing = try await onOwnThread {
            try runCommand(
                executable,
                ["dlq", "list", "--brokers", brokers, "--local-broker", "--topic-prefix", topics.prefix, "--store", "sqlite:" + path])
        }
        #expect(listing.contains("0 dead letters in \(topics.deadLetters)"), "\(listing)")
        #expect(listing.contains("1 row in the dead outbox"), "\(listing)")
        #expect(listing.contains("DECODE_FAILED"), "\(listing)")
        process.stopGracefully()
        #expect(process.terminationStatus == 0)
    }

    /// An input topic that takes records up to 2 MB (as a producer outside TrialTransit may have
    /// been allowed), so that a record larger than the workers' limit can arrive.
    static func roomyInputTopic(_ topics: TransitTopics) async throws -> String {
        let name = topics.prefix + "roomy-in"
        let admin = try KafkaAdmin(configuration: RuntimeTestSupport.client, logger: RuntimeTestSupport.logger)
        try await admin.createTopics([KafkaTopicSpecification(name: name, partitions: 2, configs: ["max.message.bytes": "2000000"])])
        return name
    }

    static func sendHealthRequests(replyingTo replyTopics: [String], topics: TransitTopics) async throws {
        let producer = try RuntimeTestSupport.producer()
        try await producer.send(
            replyTopics.enumerated().map { index, replyTo in
                KafkaProducerMessage(
                    topic: topics.rpcRequests(service: HealthService.name), key: nil, value: HealthCheckRequest().wireBytes(),
                    headers: [
                        KafkaHeader(name: TransitHeaders.rpcMethod, string: "/trialtransit.v1.Health/Check"),
                        KafkaHeader(name: TransitHeaders.replyTo, string: replyTo),
                        KafkaHeader(name: TransitHeaders.correlationID, string: "poison-\(index)"),
                    ])
            })
        try await producer.close()
    }

    /// A 1.5 MB record (its sender allows it; the workers' limit is 1,000,000 bytes).
    static func publishOversized(to topic: String) async throws {
        var client = try RuntimeTestSupport.client
        client.rawProperties["message.max.bytes"] = "2000000"
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: RuntimeTestSupport.logger)
        try await producer.send(KafkaProducerMessage(topic: topic, key: "p-huge", value: [UInt8](repeating: 0x0A, count: oversized)))
        try await producer.close()
    }

    static func deadOutbox(_ path: String) async throws -> [DeadOutboxEntry] {
        let store = try SQLiteStore(path: path, logger: RuntimeTestSupport.logger)
        let entries = try await store.deadOutbox(limit: 10)
        try await store.close()
        return entries
    }

    /// Whether a task has ended (returned or thrown), without waiting for it.
    final class EndWatch: Sendable {
        private let ended = Atomic<Bool>(false)
        var hasEnded: Bool { ended.load(ordering: .relaxed) }

        init(_ task: Task<Void, any Error>) {
            Task {
                _ = try? await task.value
                self.ended.store(true, ordering: .relaxed)
            }
        }
    }
}
