import Testing
import TransitKafka
import TransitRuntime
import TransitStore
import TransitTestSupport

/// Two processes sharing a store both write outputs for one key (docs/CONTRACT.md, "Order per
/// key"): a relay sends the other writer's earlier pending rows of that key before its own, so
/// the topic holds the key's outputs in commit order whichever relay runs first.
@Suite("Outbox relay key order", .timeLimit(.minutes(3)))
struct OutboxRelayKeyOrderTests {
    @Test(arguments: StoreKind.allCases)
    func anotherWritersEarlierRowOfAKeyGoesOutBeforeTheRelaysOwn(_ kind: StoreKind) async throws {
        let database = try await TestDatabase.make(kind)
        defer { database.destroy() }
        let storeA = try await database.open()
        let storeB = try await database.open()
        let (_, output, _) = try await RuntimeTestSupport.topics("relay-key-order", partitions: 4)
        @Sendable func rows(_ rows: [(key: String, value: String)]) -> [OutboxMessage] {
            rows.map { OutboxMessage(topic: output, key: Array($0.key.utf8), value: Array($0.value.utf8)) }
        }
        try await storeA.transaction { tx in try tx.enqueue(rows([("k1", "k1-a1"), ("k3", "k3-a")])) }
        try await storeB.transaction { tx in try tx.enqueue(rows([("k1", "k1-b1"), ("k2", "k2-b"), ("k1", "k1-b2")])) }

        // Only B's relay runs: A's row of k1 goes out first, through B's producer, once (one row
        // per group: it is read again ahead of k1-b2 while its group may still be in flight).
        let producerB = try RuntimeTestSupport.producer(linger: .milliseconds(1))
        let relayB = OutboxRelay(store: storeB, producer: producerB, batchSize: 1, logger: RuntimeTestSupport.logger)
        try await relayB.flush()
        #expect(await relayB.published == 4)
        let first = try await readTopic(output, timeout: .seconds(60)) { Set(Self.values($0)).isSuperset(of: ["k1-b2", "k2-b"]) }
        #expect(Self.values(first, key: "k1") == ["k1-a1", "k1-b1", "k1-b2"])

        // Then A writes k1 again and its relay runs: at most byte-identical copies, never another order.
        try await storeA.transaction { tx in try tx.enqueue(rows([("k1", "k1-a2")])) }
        let producerA = try RuntimeTestSupport.producer(linger: .milliseconds(1))
        let relayA = OutboxRelay(store: storeA, producer: producerA, logger: RuntimeTestSupport.logger)
        try await relayA.flush()
        let all = try await readTopic(output, timeout: .seconds(60)) { Set(Self.values($0)).isSuperset(of: ["k1-a2", "k3-a"]) }
        var firstCopies: [String: (value: [UInt8], headers: [KafkaHeader])] = [:]
        var order: [String] = []
        for message in Self.withKey("k1", all) {
            let value = String(decoding: message.value, as: UTF8.self)
            if let copy = firstCopies[value] {
                #expect(copy.value == Array(message.value) && copy.headers == message.headers, "a duplicate is byte-identical")
            } else {
                firstCopies[value] = (Array(message.value), message.headers)
                order.append(value)
            }
        }
        #expect(order == ["k1-a1", "k1-b1", "k1-b2", "k1-a2"])
        #expect(try await storeA.pendingOutbox(limit: 10).isEmpty)
        try await producerA.close()
        try await producerB.close()
        try await storeA.close()
        try await storeB.close()
    }

    /// The values of `messages` (of those with `key`, when given), in topic order.
    private static func values(_ messages: [KafkaConsumerMessage], key: String? = nil) -> [String] {
        (key.map { withKey($0, messages) } ?? messages).map { String(decoding: $0.value, as: UTF8.self) }
    }

    private static func withKey(_ key: String, _ messages: [KafkaConsumerMessage]) -> [KafkaConsumerMessage] {
        messages.filter { $0.key.map(Array.init) == Array(key.utf8) }
    }
}
