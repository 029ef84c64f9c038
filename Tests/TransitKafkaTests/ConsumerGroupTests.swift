import Synchronization
import TransitKafka
import TransitTestSupport
import Testing

@Suite("Consumer groups, commits and rebalances", .timeLimit(.minutes(3)))
struct ConsumerGroupTests {
    @Test func twoConsumersSplitPartitionsAndRestartResumesAtCommit() async throws {
        let topic = try await TestKafka.topic("group", partitions: 4)
        let group = TestKafka.unique("group")
        try await TestKafka.produce(200, to: topic)

        let first = try TestKafka.consumer(group: group)
        let second = try TestKafka.consumer(group: group)
        try first.subscribe(topics: [topic])
        try second.subscribe(topics: [topic])

        // Poll both until both hold partitions and everything was read once.
        var seen: [String: Int] = [:]
        var firstCount = 0
        var secondCount = 0
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while seen.count < 200 && clock.now < deadline {
            async let a = first.poll(maxMessages: 20, timeout: .milliseconds(100))
            async let b = second.poll(maxMessages: 20, timeout: .milliseconds(100))
            let (batchA, batchB) = try await (a, b)
            try first.store(batchA)
            try second.store(batchB)
            firstCount += batchA.count
            secondCount += batchB.count
            for message in batchA.messages + batchB.messages { seen[message.keyString ?? "", default: 0] += 1 }
            try await first.commit()
            try await second.commit()
        }
        #expect(seen.count == 200)
        #expect(firstCount > 0 && secondCount > 0, "both members got partitions: \(firstCount), \(secondCount)")
        let assignedFirst = try Set(first.assignment())
        let assignedSecond = try Set(second.assignment())
        #expect(assignedFirst.isDisjoint(with: assignedSecond))
        #expect(assignedFirst.count + assignedSecond.count == 4)
        try await first.close()
        try await second.close()

        // New messages after the commit; a restarted member reads only those.
        try await TestKafka.produce(30, to: topic, startingAt: 200)
        // A sentinel on every partition, after the new messages: once each arrived, nothing else will.
        let producer = try TestKafka.producer()
        try await producer.send((0..<4).map { KafkaProducerMessage(topic: topic, partition: Int32($0), key: "sentinel", value: []) })
        try await producer.close()
        let restarted = try TestKafka.consumer(group: group)
        try restarted.subscribe(topics: [topic])
        var rest: [KafkaConsumerMessage] = []
        try await waitUntil("a sentinel on each of the 4 partitions", saw: { "\(rest.count) messages" }) {
            let batch = try await restarted.poll(timeout: .milliseconds(200))
            rest += batch
            return rest.filter { $0.keyString == "sentinel" }.count == 4
        }
        let keys = rest.compactMap(\.keyString).filter { $0 != "sentinel" }
        #expect(keys.count == 30, "nothing processed twice")
        #expect(Set(keys) == Set((200..<230).map { "key-\($0)" }))
        try await restarted.close()
    }

    @Test func revokeHookRunsBeforePartitionsMoveAndItsCommitIsAnswered() async throws {
        let topic = try await TestKafka.topic("revoke", partitions: 2)
        let group = TestKafka.unique("revoke")
        try await TestKafka.produce(100, to: topic)

        let events = Mutex<[KafkaRebalanceEvent]>([])
        let revokeCommits = Mutex<[Result<Void, any Error>]>([])
        let hook: KafkaRebalanceHook = { event, context in
            events.withLock { $0.append(event) }
            guard case .revoking = event else { return }
            let result = Result<Void, any Error> { try context.commitStoredOffsets() }
            revokeCommits.withLock { $0.append(result) }
        }
        // The hook does the commit; the automatic commit-on-revoke is off to prove it.
        let first = try TestKafka.consumer(group: group, hook: hook, commitOnRevoke: false)
        try first.subscribe(topics: [topic])
        let firstBatch = try await TestKafka.drain(first, count: 100)  // stored, never committed explicitly
        #expect(firstBatch.count == 100)

        let second = try TestKafka.consumer(group: group)
        try second.subscribe(topics: [topic])
        // Keep both polling: the group rebalances, the first member's hook commits on revoke.
        var secondMessages: [KafkaConsumerMessage] = []
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while clock.now < deadline {
            async let a = first.poll(timeout: .milliseconds(100))
            async let b = second.poll(timeout: .milliseconds(100))
            let (_, batchB) = try await (a, b)
            secondMessages += batchB
            if try !second.assignment().isEmpty && events.withLock({ $0.count >= 3 }) { break }
        }
        let recorded = events.withLock { $0 }
        #expect(recorded.first.map { if case .assigned = $0 { true } else { false } } == true)
        #expect(recorded.contains { if case .revoking = $0 { true } else { false } })
        #expect(try !second.assignment().isEmpty)
        let commit = try #require(revokeCommits.withLock { $0.first }, "the hook never saw a revocation: \(recorded)")
        switch commit {
        case .success:
            // The commit landed before the partitions moved: nothing the first member processed is
            // read again by the second.
            #expect(secondMessages.isEmpty, "re-delivered after a committed revocation: \(secondMessages.map(\.offset))")
        case .failure(let error):
            // Kafka keeps the old generation valid until the members rejoin, so there the commit
            // lands. The local broker (noida-db) ends it as soon as a member joins and refuses the
            // commit with ILLEGAL_GENERATION: the hook is told, as a rebalance error, and what the
            // second member reads again is then the broker's choice (the inbox absorbs it).
            #expect((error as? KafkaError)?.code == .rebalance, "the revoke-time commit failed otherwise: \(error)")
        }
        try await first.close()
        try await second.close()
    }

    @Test func watermarksAndLagFollowProducedAndCommittedOffsets() async throws {
        let topic = try await TestKafka.topic("lag", partitions: 2)
        let group = TestKafka.unique("lag")
        let producer = try TestKafka.producer()
        for index in 0..<30 {
            try await producer.send(KafkaProducerMessage(topic: topic, partition: Int32(index % 2), key: "k", value: [1]))
        }
        try await producer.close()

        let consumer = try TestKafka.consumer(group: group)
        try consumer.assign([
            KafkaTopicPartitionOffset(topic: topic, partition: 0, offset: KafkaOffset.beginning),
            KafkaTopicPartitionOffset(topic: topic, partition: 1, offset: KafkaOffset.beginning),
        ])
        try await consumer.commit(offsets: [
            KafkaTopicPartitionOffset(topic: topic, partition: 0, offset: 10),
            KafkaTopicPartitionOffset(topic: topic, partition: 1, offset: 4),
        ])
        let marks = try await consumer.watermarks(topic: topic, partition: 0)
        #expect(marks.low == 0 && marks.high == 15)

        let admin = try KafkaAdmin(configuration: TestKafka.client, logger: TestKafka.logger)
        let lag = try await admin.lag(group: group, topics: [topic]).sorted { $0.partition < $1.partition }
        #expect(lag.map(\.committed) == [10, 4])
        #expect(lag.map(\.end) == [15, 15])
        #expect(lag.map(\.lag) == [5, 11])
        let own = try await consumer.lag().sorted { $0.partition < $1.partition }
        #expect(own == lag)

        let untouched = try await admin.lag(group: TestKafka.unique("none"), topics: [topic])
        #expect(untouched.map(\.lag) == [15, 15])
        try await consumer.close()
    }
}
