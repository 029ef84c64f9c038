import Testing
import TransitStore

/// Outbox rows that can never be published: replaced by their dead letter, or moved to the dead
/// outbox, in both stores.
@Suite("Dead outbox")
struct DeadOutboxTests {
    @Test(arguments: StoreKind.allCases)
    func aReplacedRowGoesToTheEndAndAGoneRowIsLeftAlone(kind: StoreKind) async throws {
        try await withStore(kind) { _, store in
            try await store.transaction { tx in
                try tx.enqueue((0..<3).map { OutboxMessage(topic: "t", key: [9], value: [UInt8($0)]) })
            }
            let ids = try await store.pendingOutbox(limit: 10).map(\.id)
            let letter = OutboxMessage(topic: "dlq", key: nil, value: [1], headers: [OutboxHeader(name: "dlq-error-code", value: Array("PUBLISH_FAILED".utf8))])
            try await store.replaceOutbox(ids[1], with: letter)
            let pending = try await store.pendingOutbox(limit: 10)
            #expect(pending.map(\.topic) == ["t", "t", "dlq"])
            #expect(pending.map(\.id).prefix(2) == [ids[0], ids[2]])
            #expect(pending[2].id > ids[2])
            #expect(pending[2].key == nil && pending[2].headers == letter.headers)
            // A second relay dealing with the same row finds it gone: nothing is added twice.
            try await store.replaceOutbox(ids[1], with: letter)
            #expect(try await store.pendingOutbox(limit: 10).count == 3)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aBuriedRowLeavesTheOutboxForTheDeadOutboxOnce(kind: StoreKind) async throws {
        try await withStore(kind) { _, store in
            let headers = [OutboxHeader(name: "h", value: [1, 2])]
            try await store.transaction { tx in
                try tx.enqueue([
                    OutboxMessage(topic: "a", key: [7], value: [UInt8](repeating: 5, count: 1_500_000), headers: headers),
                    OutboxMessage(topic: "b", key: nil, value: [2]),
                ])
            }
            let ids = try await store.pendingOutbox(limit: 10).map(\.id)
            #expect(try await store.deadOutbox(limit: 10).isEmpty)
            try await store.buryOutbox(ids[0], reason: "too large", failedAt: 42)
            try await store.buryOutbox(ids[0], reason: "too large", failedAt: 43)
            #expect(try await store.pendingOutbox(limit: 10).map(\.id) == [ids[1]])
            let dead = try await store.deadOutbox(limit: 10)
            #expect(dead.count == 1)
            #expect(dead.first?.message == OutboxMessage(id: ids[0], topic: "a", key: [7], value: [UInt8](repeating: 5, count: 1_500_000), headers: headers))
            #expect(dead.first?.reason == "too large")
            #expect(dead.first?.failedAt == 42)
        }
    }
}
