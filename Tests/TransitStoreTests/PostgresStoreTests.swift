import Foundation
import Logging
import Testing

@testable import TransitStore

/// Behaviour only a shared PostgreSQL store has: lost connections, races between processes.
@Suite("PostgreSQL store")
struct PostgresStoreTests {
    @Test func reconnectsOnTheNextCallAfterLosingTheConnection() async throws {
        let harness = try StoreHarness.make(.postgres)
        defer { harness.destroy() }
        let application = "tt_reconnect_\(UUID().uuidString.prefix(8).lowercased())"
        let store = try PostgresStore(
            url: harness.location + "&application_name=\(application)", logger: Logger(label: "test"), connections: 1)
        try await store.migrate()
        try await store.transaction { tx in try tx.setCapacity(counter: "c", capacity: 2) }

        let killed = try StoreHarness.withAdminConnection { admin in
            try admin.execute(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE application_name = '\(application)'",
                operation: "terminate test backend"
            ).rowCount
        }
        #expect(killed == 1)

        let error = await expectStoreError(.unavailable) {
            try await store.transaction { tx in _ = try tx.counter("c") }
        }
        #expect(error?.isTransient == true)
        let counter = try await store.transaction { tx in try tx.counter("c") }
        #expect(counter?.capacity == 2)
        // Prepared statements are prepared again on the new session.
        #expect(try await store.transaction { tx in try tx.reserve(counter: "c", amount: 1) })
        try await store.close()
    }

    @Test func unreachableServerIsUnavailable() async throws {
        let error = await expectStoreError(.unavailable) {
            _ = try PostgresStore(url: "postgres://postgres@127.0.0.1:1/postgres?connect_timeout=2", logger: Logger(label: "test"))
        }
        #expect(error?.isTransient == true)
    }

    /// Two processes handle the same event at once (a rebalance): both find it new; the one that
    /// commits second must fail with `.conflict` instead of applying the event twice.
    @Test func staleInboxAnswerFailsTheCommitWithConflict() async throws {
        let harness = try StoreHarness.make(.postgres)
        defer { harness.destroy() }
        let a = try await harness.openMigrated()
        let b = try harness.open()
        let aRead = Gate()
        let bCommitted = Gate()
        let slow = Task {
            try await a.transaction { tx in
                #expect(try tx.processed(group: "g", ids: ["e1", "e2"]).isEmpty)
                aRead.open()
                bCommitted.wait()
                try tx.setState(namespace: "ns", key: "patient", value: [1])
                try tx.markProcessed(group: "g", ids: ["e1", "e2"])
            }
        }
        let fast = Task {
            try await b.transaction { tx in
                aRead.wait()  // on b's store thread, not the cooperative pool
                #expect(try tx.processed(group: "g", ids: ["e1"]).isEmpty)
                try tx.markProcessed(group: "g", ids: ["e1"])
            }
            bCommitted.open()
        }
        try await fast.value
        await expectStoreError(.conflict) { try await slow.value }
        let state = try await a.transaction { tx in try tx.state(namespace: "ns", key: "patient") }
        #expect(state == nil)
        // Re-marking ids this transaction already knew as processed is fine (replays).
        try await a.transaction { tx in
            #expect(try tx.processed(group: "g", ids: ["e1"]) == ["e1"])
            try tx.markProcessed(group: "g", ids: ["e1", "e2"])
        }
        try await a.close()
        try await b.close()
    }

    /// Statistics taken during a burst that is gone (a queue's backlog, deleted since) must not
    /// turn the relay's earlier-rows read into a scan of the whole outbox heap, and sessions plan
    /// no parallel workers (docs/PERFORMANCE.md: each read scanned a 137 MB heap or started two
    /// worker processes).
    @Test func outboxReadsKeepIndexPlansAfterABurst() async throws {
        let harness = try StoreHarness.make(.postgres)
        defer { harness.destroy() }
        try await harness.openMigrated().close()
        let connection = try PostgresConnection(url: harness.location)
        try connection.execute(
            """
            INSERT INTO outbox (topic, key, value, headers, created_at, writer)
            SELECT 'burst', convert_to('k-' || (i % 1000), 'UTF8'), '\\x00', '\\x00', 0, 'gone'
            FROM generate_series(1, 5000) AS i
            """, operation: "test burst")
        try connection.execute("ANALYZE outbox", operation: "test analyze")
        try connection.execute("DELETE FROM outbox", operation: "test drain")
        let earlier = PostgresStatements.outboxEarlierOfKeys
        try connection.execute("PREPARE earlier (int8, int8, text, int8) AS \(earlier.sql)", operation: "test prepare")
        let result = try connection.execute("EXPLAIN EXECUTE earlier(0, 1000000, 'w', 0)", operation: "test explain")
        let plan = (0..<result.rowCount).map { result.text($0, 0) }.joined(separator: "\n")
        #expect(!plan.contains("Seq Scan on outbox"), "\(plan)")
        #expect(try connection.execute("SHOW plan_cache_mode", operation: "test").text(0, 0) == "force_generic_plan")
        #expect(try connection.execute("SHOW max_parallel_workers_per_gather", operation: "test").text(0, 0) == "0")
    }
}
