import Foundation
import Testing

@testable import TransitStore
@testable import trialtransit_bench

@Suite("Raw store benchmark")
struct StoreBenchmarkTests {
    /// Small run that proves the helper works and writes the expected rows. Set
    /// TRIALTRANSIT_STORE_BENCH_EVENTS for a real measurement (use a release build).
    @Test(arguments: StoreKind.allCases)
    func rawEventsPerSecond(kind: StoreKind) async throws {
        let events = ProcessInfo.processInfo.environment["TRIALTRANSIT_STORE_BENCH_EVENTS"].flatMap(Int.init) ?? 3_000
        try await withStore(kind) { _, store in
            try await store.transaction { tx in try tx.enqueue([OutboxMessage(topic: "other", key: nil, value: [1])]) }
            let rate = try await StoreBenchmark.rawEventsPerSecond(store: store, events: events, batchSize: 1_000)
            print("raw store benchmark [\(kind)]: \(events) events, batch 1000: \(Int(rate)) events/s")
            #expect(rate > 0)
            // Its outbox rows are gone afterwards (a relay must never publish them); others stay.
            #expect(try await store.pendingOutbox(limit: events + 1).map(\.topic) == ["other"])
            let keys = try await store.transaction { tx in try tx.stateKeys(namespace: "bench", prefix: "entity-") }
            #expect(keys.count == min(events, 10_000))
        }
    }
}
