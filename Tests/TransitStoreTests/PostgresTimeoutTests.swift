import Foundation
import Logging
import Testing
import TransitTestSupport

@testable import TransitStore

/// A paused process holding row locks delays its successor by no more than the session time-outs:
/// the successor's statement gives up after `lock_timeout` (a conflict, retried), and the server
/// ends the silent session after `idle_in_transaction_session_timeout`, releasing its locks.
@Suite("PostgreSQL session time-outs", .timeLimit(.minutes(2)))
struct PostgresTimeoutTests {
    @Test func aRowLockHeldByAPausedSessionDelaysTheNextWriterOnlyUpToTheTimeouts() async throws {
        let harness = try StoreHarness.make(.postgres)
        defer { harness.destroy() }
        // The idle time-out leaves the successor time to start trying on a loaded machine (it must meet
        // the lock at least once).
        let timeouts = PostgresSessionTimeouts(lock: .milliseconds(500), statement: .seconds(10), idleInTransaction: .seconds(6))
        let store = try PostgresStore(
            url: harness.location, logger: TestEnvironment.logger("timeouts"), connections: 1, timeouts: timeouts)
        try await store.migrate()
        try await store.transaction { try $0.setCapacity(counter: "slots", capacity: 10) }

        // The zombie: a session with the same limits that took the counter's row lock inside a
        // transaction and then went silent (as a SIGSTOPped process would).
        let location = harness.location
        let zombie = try await onOwnThread {
            let connection = try PostgresConnection(url: location, timeouts: timeouts)
            try connection.execute("BEGIN", operation: "test")
            try connection.execute("UPDATE counters SET used = used WHERE name = 'slots'", operation: "test")
            return ZombieSession(connection: connection)
        }

        let clock = ContinuousClock()
        let start = clock.now
        var conflicts = 0
        var reserved = false
        try await waitUntil("the successor's reservation", timeout: .seconds(60), every: .zero, saw: { "\(conflicts) conflicts" }) {
            do {
                reserved = try await store.transaction { try $0.reserve(counter: "slots", amount: 1) }
                return true
            } catch let error as StoreError where error.code == .conflict || error.code == .unavailable {
                conflicts += 1  // lock_timeout: what the worker retries with backoff
                return false
            }
        }
        let waited = clock.now - start
        #expect(reserved)
        #expect(conflicts >= 1, "the lock time-out ended at least one wait")
        // Bounded by the zombie's idle time-out plus one lock wait; the rest is a margin for a loaded machine.
        #expect(waited < .seconds(6) + .milliseconds(500) + .seconds(10), "waited \(waited)")
        #expect(waited >= .seconds(1), "the lock was really held")
        #expect(try await store.transaction { try $0.counter("slots") }?.used == 1)
        _ = zombie
        try await store.close()
    }
}

extension PostgresTimeoutTests {
    /// Migrations of concurrent starts take turns on one advisory lock and wait for it beyond the
    /// session's lock time-out (seen: a parallel test run's migrations failing after 500 ms).
    @Test func aMigrationWaitsForAnotherOneBeyondTheLockTimeout() async throws {
        let harness = try StoreHarness.make(.postgres)
        defer { harness.destroy() }
        let location = harness.location
        let holder = try await onOwnThread {
            let connection = try PostgresConnection(url: location)
            try connection.execute("BEGIN", operation: "test")
            try connection.execute("SELECT pg_advisory_xact_lock(\(PostgresMigrations.lockKey))", operation: "test")
            return ZombieSession(connection: connection)
        }
        let store = try PostgresStore(
            url: location, logger: TestEnvironment.logger("timeouts"), connections: 1,
            timeouts: PostgresSessionTimeouts(lock: .milliseconds(200), statement: .seconds(10), idleInTransaction: .seconds(60)))
        let migration = Task { try await store.migrate() }
        // The other migration holds the lock for longer than the lock time-out (the fault, not a wait).
        try await Task.sleep(for: .seconds(1))
        try await onOwnThread { _ = try holder.connection.execute("COMMIT", operation: "test") }
        try await migration.value
        #expect(try await store.transaction { try $0.counter("none") } == nil, "the schema is there")
        try await store.close()
    }
}

/// Keeps the zombie's connection alive (unused) until the test ends.
private final class ZombieSession: @unchecked Sendable {
    let connection: PostgresConnection
    init(connection: PostgresConnection) { self.connection = connection }
}
