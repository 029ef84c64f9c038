import Testing

@testable import TransitStore

@Suite("Concurrency")
struct ConcurrencyTests {
    /// Two store instances (two connections to one file or database) race 200 single-unit
    /// reservations on a counter of capacity 50: exactly 50 succeed.
    @Test(arguments: StoreKind.allCases)
    func racingReservationsNeverOverbook(kind: StoreKind) async throws {
        try await withStore(kind, connections: 2) { harness, first in
            let second = try harness.open(connections: 2)
            try await first.transaction { tx in try tx.setCapacity(counter: "site-slots", capacity: 50) }
            let stores = [first, second]
            let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
                for attempt in 0..<200 {
                    let store = stores[attempt % 2]
                    group.addTask {
                        try await store.transaction { tx in try tx.reserve(counter: "site-slots", amount: 1) }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(granted == 50)
            let counter = try await second.transaction { tx in try tx.counter("site-slots") }
            #expect(counter?.used == 50)
            #expect(counter?.capacity == 50)
            try await second.close()
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentTransactionsOnOneInstance(kind: StoreKind) async throws {
        try await withStore(kind, connections: 2) { _, store in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await store.transaction { tx in
                            try tx.markProcessed(group: "g", ids: ["e\(index)"])
                            try tx.setState(namespace: "ns", key: "k\(index)", value: [UInt8(index)])
                            try tx.enqueue([OutboxMessage(topic: "t", key: nil, value: [UInt8(index)])])
                        }
                    }
                }
                try await group.waitForAll()
            }
            let keys = try await store.transaction { tx in try tx.stateKeys(namespace: "ns", prefix: "k") }
            #expect(keys.count == 40)
            #expect(try await store.pendingOutbox(limit: 100).count == 40)
        }
    }
}
