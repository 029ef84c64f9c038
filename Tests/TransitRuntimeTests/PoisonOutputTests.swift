import Testing
import TransitTestSupport
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore

/// Outputs that can never be published, against the real broker and a real SQLite file: each is
/// dead-lettered once (`PUBLISH_FAILED`) or, when even its dead letter is refused, kept in the
/// dead outbox; the rows around it are published once, in order, and nothing waits behind it.
@Suite("Poison outputs", .timeLimit(.minutes(3)))
struct PoisonOutputTests {
    @Test(arguments: ["bad topic name!", "test-unknown-\(UInt64.random(in: 0...UInt64.max))"])
    func aRowForATopicThatCannotTakeItIsDeadLetteredOnceAndTheOthersGoOut(badTopic: String) async throws {
        let (path, store) = try await RuntimeTestSupport.migratedSQLite()
        defer { RuntimeTestSupport.removeSQLite(path) }
        let (_, output, topics) = try await RuntimeTestSupport.topics("poison-out", partitions: 1)
        let producer = try RuntimeTestSupport.producer(linger: .milliseconds(1))
        let relay = OutboxRelay(store: store, producer: producer, batchSize: 4, topics: topics, logger: RuntimeTestSupport.logger)

        let before = (0..<6).map { "before-\($0)" }
        // Eight groups of four after the poison rows: more than the relay keeps in flight (4), few
        // enough that the test does not wait on a busy broker's round trips.
        let after = (0..<30).map { "after-\($0)" }
        let rows = { (values: [String]) in values.map { OutboxMessage(topic: output, key: Array("k".utf8), value: Array($0.utf8)) } }
        let (beforeRows, afterRows) = (rows(before), rows(after))
        try await store.transaction { tx in
            try tx.enqueue(beforeRows)
            try tx.enqueue([
                OutboxMessage(topic: badTopic, key: Array("r".utf8), value: [1, 2, 3], headers: [OutboxHeader(name: "correlation-id", value: Array("c-1".utf8))]),
                OutboxMessage(topic: output, key: Array("big".utf8), value: [UInt8](repeating: 7, count: 1_500_000)),
            ])
            try tx.enqueue(afterRows)
        }
        // The flush returns (a relay that held the rows up behind a poison row, retrying it, would
        // not: the suite's time limit ends it) with nothing left pending. How long it takes is the
        // broker's: seconds on a quiet machine, 62-100 s in full parallel CI runs with 200 rows
        // after the poison (latency per round trip, not retries), so no wall-clock bound here.
        try await relay.flush()
        #expect(try await store.pendingOutbox(limit: 10).isEmpty)

        let values = try await RuntimeTestSupport.read(output) { $0.count >= before.count + after.count }
            .map { String(decoding: $0.value, as: UTF8.self) }
        #expect(values == before + after, "every row once, in order; got \(values.count)")

        // A broker that creates topics on use takes the unknown topic's row: then nothing is dead-lettered for it.
        let createdOnUse = try await topicExists(badTopic)
        // The flush waited for every acknowledgement: the dead-letter topic holds all there is.
        let letters = try await readWholeTopic(topics.deadLetters)
        if createdOnUse {
            #expect(letters.isEmpty)
        } else {
            #expect(letters.count == 1)
            let letter = try #require(letters.first)
            #expect(letter.headers.string(TransitHeaders.dlqErrorCode) == "PUBLISH_FAILED")
            #expect(letter.headers.string(TransitHeaders.dlqIntendedTopic) == badTopic)
            #expect(letter.headers.string(TransitHeaders.dlqSourceTopic) == badTopic)
            for name in [TransitHeaders.dlqSourcePartition, TransitHeaders.dlqSourceOffset, TransitHeaders.dlqConsumerGroup,
                TransitHeaders.dlqAttempts, TransitHeaders.dlqError, TransitHeaders.dlqFailedAt] {
                #expect(letter.headers.string(name) != nil, "header \(name)")
            }
            #expect(letter.headers.string("correlation-id") == "c-1")
            #expect(Array(letter.value) == [1, 2, 3])
        }
        // The 1.5 MB row: its dead letter is as large, so it is kept in the dead outbox, once.
        let dead = try await store.deadOutbox(limit: 10)
        #expect(dead.count == 1)
        #expect(dead.first?.message.value.count == 1_500_000)
        #expect(dead.first?.message.topic == topics.deadLetters)
        #expect(dead.first?.message.headers.contains { $0.name == TransitHeaders.dlqIntendedTopic && $0.value == Array(output.utf8) } == true)
        #expect(await relay.buried == 1)
        #expect(await relay.deadLettered == (createdOnUse ? 1 : 2))
        try await producer.close()
        try await store.close()
    }

    private func topicExists(_ name: String) async throws -> Bool {
        let admin = try KafkaAdmin(configuration: RuntimeTestSupport.client, logger: RuntimeTestSupport.logger)
        return (try? await admin.describeTopic(name)) != nil
    }
}
