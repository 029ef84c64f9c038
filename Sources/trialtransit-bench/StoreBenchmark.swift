import Foundation
import TransitStore

/// Raw store throughput, without Kafka: the write shape of a worker batch.
enum StoreBenchmark {
    /// Writes `events` events in transactions of `batchSize` and returns events per second.
    ///
    /// Per batch, like the worker: one inbox lookup of the batch's ids; then per event one state
    /// upsert (namespace `bench`, 10,000 rotating keys, 128-byte value) and one outbox message
    /// (topic `bench.events`, 128-byte value, one header); then the batch's inbox rows. Migrates
    /// the store first (outside the timing). Run it on a scratch store: it leaves its inbox and
    /// state rows behind; its outbox rows are deleted after the timing.
    static func rawEventsPerSecond(store: any TransitStore, events: Int, batchSize: Int) async throws -> Double {
        precondition(events > 0 && batchSize > 0, "events and batchSize must be positive")
        try await store.migrate()
        let run = UUID().uuidString.prefix(8).lowercased()
        let group = "bench-\(run)"
        let value = [UInt8](repeating: 0x5a, count: 128)
        let header = OutboxHeader(name: "traceparent", value: Array("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01".utf8))
        let clock = ContinuousClock()
        let start = clock.now
        var written = 0
        while written < events {
            let first = written
            let count = min(batchSize, events - written)
            try await store.transaction { transaction in
                let ids = (first..<first + count).map { "\(run)-\($0)" }
                let seen = try transaction.processed(group: group, ids: ids)
                var messages: [OutboxMessage] = []
                messages.reserveCapacity(count)
                for (offset, id) in ids.enumerated() where !seen.contains(id) {
                    let key = "entity-\((first + offset) % 10_000)"
                    try transaction.setState(namespace: "bench", key: key, value: value)
                    messages.append(OutboxMessage(topic: outboxTopic, key: Array(key.utf8), value: value, headers: [header]))
                }
                try transaction.markProcessed(group: group, ids: ids)
                try transaction.enqueue(messages)
            }
            written += count
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        try await removeOutbox(of: store)
        return Double(events) / max(seconds, 1e-9)
    }

    /// Deletes the benchmark's outbox rows (untimed), so that a relay on a shared store (the
    /// same PostgreSQL database for several runs) never publishes them.
    private static func removeOutbox(of store: any TransitStore) async throws {
        var after: Int64 = 0
        while true {
            let pending = try await store.pendingOutbox(after: after, limit: 10_000)
            guard let last = pending.last else { return }
            try await store.markPublished(pending.filter { $0.topic == outboxTopic }.map(\.id))
            after = last.id
        }
    }

    /// The topic of the benchmark's outbox rows.
    static let outboxTopic = "bench.events"
}
