import Testing

@testable import TransitStore

@Suite("Capacity counters")
struct CounterTests {
    @Test(arguments: StoreKind.allCases)
    func reserveUpToCapacityReleaseAndSetCapacity(kind: StoreKind) async throws {
        try await withStore(kind) { _, store in
            let unknown = try await store.transaction { tx in
                (try tx.counter("site-1"), try tx.reserve(counter: "site-1", amount: 1))
            }
            #expect(unknown.0 == nil)
            #expect(unknown.1 == false)

            try await store.transaction { tx in try tx.setCapacity(counter: "site-1", capacity: 3) }
            let reservations = try await store.transaction { tx in
                [
                    try tx.reserve(counter: "site-1", amount: 2),
                    try tx.reserve(counter: "site-1", amount: 2),  // 4 > 3: refused
                    try tx.reserve(counter: "site-1", amount: 1),
                    try tx.reserve(counter: "site-1", amount: 1),  // full
                ]
            }
            #expect(reservations == [true, false, true, false])
            #expect(try await usage(store, "site-1") == [3, 3])

            // Capacity changes keep `used`, even below it; reservations wait for room.
            try await store.transaction { tx in try tx.setCapacity(counter: "site-1", capacity: 2) }
            #expect(try await usage(store, "site-1") == [3, 2])
            #expect(try await store.transaction { tx in try tx.reserve(counter: "site-1", amount: 1) } == false)
            try await store.transaction { tx in try tx.setCapacity(counter: "site-1", capacity: 10) }
            #expect(try await usage(store, "site-1") == [3, 10])

            // Release never goes below 0.
            try await store.transaction { tx in
                try tx.release(counter: "site-1", amount: 2)
                try tx.release(counter: "unknown", amount: 1)
            }
            #expect(try await usage(store, "site-1") == [1, 10])
            try await store.transaction { tx in try tx.release(counter: "site-1", amount: 5) }
            #expect(try await usage(store, "site-1") == [0, 10])
            #expect(try await store.transaction { tx in try tx.reserve(counter: "site-1", amount: 0) } == true)
            #expect(try await store.transaction { tx in try tx.reserve(counter: "site-1", amount: 10) } == true)
            #expect(try await usage(store, "site-1") == [10, 10])

            await expectStoreError(.constraint) {
                try await store.transaction { tx in _ = try tx.reserve(counter: "site-1", amount: -1) }
            }
            await expectStoreError(.constraint) {
                try await store.transaction { tx in try tx.release(counter: "site-1", amount: -1) }
            }
            await expectStoreError(.constraint) {
                try await store.transaction { tx in try tx.setCapacity(counter: "site-2", capacity: -1) }
            }
            #expect(try await usage(store, "site-1") == [10, 10])
        }
    }

    private func usage(_ store: any TransitStore, _ name: String) async throws -> [Int]? {
        try await store.transaction { tx in try tx.counter(name).map { [$0.used, $0.capacity] } }
    }
}
