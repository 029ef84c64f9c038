import Testing
import TransitKafka
import TransitRuntime
import TransitStore

/// The relay against the real broker and a real SQLite file: pipelined groups keep outbox order,
/// backpressure and flush wait for acknowledgements, and a store it cannot read is reported.
@Suite("Outbox relay", .timeLimit(.minutes(3)))
struct OutboxRelayTests {
    /// 12 transactions of 500 rows, a request after each, groups of 700 with 3 in flight: every
    /// row lands once, in outbox order, and the outbox is empty afterwards.
    @Test func pipelinedGroupsPublishEveryRowOnceInOutboxOrder() async throws {
        let (path, store) = try await RuntimeTestSupport.migratedSQLite()
        defer { RuntimeTestSupport.removeSQLite(path) }
        let (_, output, _) = try await RuntimeTestSupport.topics("relay-order", partitions: 1)
        let producer = try RuntimeTestSupport.producer(linger: .milliseconds(1))
        let relay = OutboxRelay(store: store, producer: producer, batchSize: 700, maxInFlight: 3, logger: RuntimeTestSupport.logger)

        var expected: [String] = []
        for transaction in 0..<12 {
            let values = (0..<500).map { "row-\(transaction)-\($0)" }
            expected += values
            try await store.transaction { tx in
                try tx.enqueue(values.map { OutboxMessage(topic: output, key: Array("k".utf8), value: Array($0.utf8)) })
            }
            try await relay.request()
            try await relay.waitForBacklog(atMost: 2)
        }
        try await relay.flush()
        #expect(try await store.pendingOutbox(limit: 10).isEmpty)
        #expect(await relay.published == expected.count)

        let messages = try await RuntimeTestSupport.read(output) { $0.count >= expected.count }
        #expect(messages.map { String(decoding: $0.value, as: UTF8.self) } == expected)
        try await producer.close()
        try await store.close()
    }

    /// Rows committed before `flush()` are published when it returns, also when nothing was
    /// requested before; a second flush with nothing pending returns at once.
    @Test func flushPublishesWhatIsPendingFromAnEarlierRun() async throws {
        let (path, store) = try await RuntimeTestSupport.migratedSQLite()
        defer { RuntimeTestSupport.removeSQLite(path) }
        let (_, output, _) = try await RuntimeTestSupport.topics("relay-flush", partitions: 1)
        try await store.transaction { tx in
            try tx.enqueue((0..<25).map { OutboxMessage(topic: output, key: nil, value: [UInt8($0)]) })
        }
        let producer = try RuntimeTestSupport.producer()
        let relay = OutboxRelay(store: store, producer: producer, batchSize: 10, logger: RuntimeTestSupport.logger)
        #expect(try await relay.flush() == 25)
        #expect(try await relay.flush() == 0)
        #expect(try await store.pendingOutbox(limit: 10).isEmpty)
        let messages = try await RuntimeTestSupport.read(output) { $0.count >= 25 }
        #expect(messages.map { $0.value.first } == (0..<25).map { UInt8($0) })
        try await producer.close()
        try await store.close()
    }

    /// A store that fails for good (closed) makes `flush()` throw instead of waiting forever;
    /// the next request reports the error once and then tries again.
    @Test func aStoreThatCannotBeReadIsReportedNotWaitedFor() async throws {
        let (path, store) = try await RuntimeTestSupport.migratedSQLite()
        defer { RuntimeTestSupport.removeSQLite(path) }
        let producer = try RuntimeTestSupport.producer()
        let relay = OutboxRelay(store: store, producer: producer, logger: RuntimeTestSupport.logger)
        try await store.close()
        await #expect(throws: StoreError.self) { try await relay.flush() }
        await #expect(throws: StoreError.self) { try await relay.flush() }
        try await producer.close()
    }

    /// With no broker to acknowledge, a waiting worker is stuck until its task is cancelled: then
    /// the wait ends with `CancellationError` (the row stays in the outbox for the next run).
    @Test func aWaitForABrokerThatNeverAnswersEndsWhenTheTaskIsCancelled() async throws {
        let (path, store) = try await RuntimeTestSupport.migratedSQLite()
        defer { RuntimeTestSupport.removeSQLite(path) }
        let producer = try RuntimeTestSupport.producer(client: .localBroker(["127.0.0.1:1"]))
        let relay = OutboxRelay(store: store, producer: producer, logger: RuntimeTestSupport.logger)
        try await store.transaction { tx in
            try tx.enqueue([OutboxMessage(topic: "nowhere", key: nil, value: [1])])
        }
        try await relay.request()
        let waiting = Task { try await relay.waitForBacklog(atMost: 0) }
        try await Task.sleep(for: .milliseconds(300))
        waiting.cancel()
        let clock = ContinuousClock()
        let start = clock.now
        await #expect(throws: CancellationError.self) { try await waiting.value }
        #expect(clock.now - start < .seconds(30), "ends promptly (a loaded test machine needs a margin), not never")
        #expect(try await store.pendingOutbox(limit: 10).count == 1)
        // Closing the producer stops the relay's retries (its flush gives up on the dead broker).
        try? await producer.close(timeout: .milliseconds(100))
    }

    /// Two store instances on one file with a relay each stand for two processes sharing a store:
    /// every row is published once (each relay publishes its own writer's rows), and a start-up
    /// flush of every writer publishes what a stopped writer left.
    @Test func relaysOfTwoWritersPublishEachRowOnceAndAStartUpFlushTakesOverALeftWritersRows() async throws {
        let (path, storeA, storeB) = try await RuntimeTestSupport.sharedSQLite()
        defer { RuntimeTestSupport.removeSQLite(path) }
        let (_, output, _) = try await RuntimeTestSupport.topics("relay-writers", partitions: 1)
        func relay(_ store: SQLiteStore) throws -> (OutboxRelay, KafkaProducer) {
            let producer = try RuntimeTestSupport.producer(linger: .milliseconds(1))
            return (OutboxRelay(store: store, producer: producer, batchSize: 100, logger: RuntimeTestSupport.logger), producer)
        }
        let (relayA, producerA) = try relay(storeA)
        let (relayB, producerB) = try relay(storeB)
        for round in 0..<5 {
            for (name, store, relay) in [("a", storeA, relayA), ("b", storeB, relayB)] {
                try await store.transaction { tx in
                    try tx.enqueue((0..<100).map { OutboxMessage(topic: output, key: nil, value: Array("\(name)-\(round)-\($0)".utf8)) })
                }
                try await relay.request()
            }
        }
        try await relayA.flush()
        try await relayB.flush()
        #expect(await relayA.published == 500)
        #expect(await relayB.published == 500)

        // A writer that stopped: its rows wait for a flush of every writer (or the orphan age).
        let left = try SQLiteStore(path: path, logger: RuntimeTestSupport.logger)
        try await left.transaction { tx in
            try tx.enqueue((0..<10).map { OutboxMessage(topic: output, key: nil, value: Array("left-\($0)".utf8)) })
        }
        #expect(try await relayA.flush() == 0, "young rows of another writer are left to it")
        #expect(try await relayA.flush(includingOtherWriters: true) == 10)

        let values = try await RuntimeTestSupport.read(output) { $0.count >= 1_010 }.map { String(decoding: $0.value, as: UTF8.self) }
        let expected = ["a", "b"].flatMap { name in (0..<5).flatMap { round in (0..<100).map { "\(name)-\(round)-\($0)" } } }
            + (0..<10).map { "left-\($0)" }
        expectExactly(values, expected)
        #expect(values.count == expected.count, "no row published twice")
        try await producerA.close()
        try await producerB.close()
        try await left.close()
    }
}
