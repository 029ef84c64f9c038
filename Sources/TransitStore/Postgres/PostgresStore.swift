import Logging
import TransitTime

/// The scale-out store: PostgreSQL shared by several worker processes. A small pool of
/// connections, each used by one dedicated thread at a time; prepared statements; batch writes
/// as array statements; transactions in READ COMMITTED with conditional counter updates.
///
/// A lost connection fails the call that finds it with `.unavailable` and is re-established on
/// the next call. Serialization failures and deadlocks are `.conflict`.
public final class PostgresStore: TransitStore {
    /// Tags the outbox rows this instance writes (random per instance; see ``OutboxScope``).
    public let writer: String
    private let pool: PostgresPool
    private let logger: Logger
    /// Stamps rows written outside a transaction (a dead letter replacing an outbox row).
    let clock: any WallClock

    /// Connects `connections` sessions (at least one) with a libpq URL or connection string,
    /// e.g. `postgres://user@host:5432/db?connect_timeout=5`. To keep the tables in a schema of
    /// their own, add `options=-csearch_path%3Dname`. Call ``migrate()`` before use.
    /// `clock` stamps inbox, state and outbox rows (tests pass a manual one).
    /// `timeouts` bound how long a session waits on another (a paused process holding locks).
    public init(
        url: String, logger: Logger, connections: Int = 2, clock: any WallClock = SystemWallClock(),
        timeouts: PostgresSessionTimeouts = PostgresSessionTimeouts()
    ) throws {
        self.logger = logger
        self.clock = clock
        self.writer = OutboxWriter.newID()
        let sessions = try (0..<max(1, connections)).map { _ in
            PostgresSession(connection: try PostgresConnection(url: url, timeouts: timeouts), logger: logger, clock: clock)
        }
        self.pool = PostgresPool(sessions: sessions)
    }

    public func migrate() async throws {
        let logger = self.logger
        try await pool.withSession { session in
            try PostgresMigrations.migrate(try session.open(), logger: logger)
        }
    }

    public func transaction<R: Sendable>(
        holding claims: [PartitionClaim], _ body: @escaping @Sendable (any StoreTransaction) throws -> R
    ) async throws -> R {
        let writer = self.writer
        return try await pool.withSession { session in try session.transaction(writer: writer, holding: claims, body) }
    }

    public func claim(group: String, topic: String, partition: Int32) async throws -> PartitionClaim {
        let (writer, now) = (self.writer, clock.nowMilliseconds())
        return try await pool.withSession { session in
            let rows = try session.open().execute(
                PostgresStatements.claimTake, [.text(group), .text(topic), .int8(Int64(partition)), .text(writer), .int8(now)])
            return PartitionClaim(group: group, topic: topic, partition: partition, epoch: rows.int64(0, 0))
        }
    }

    public func pendingOutbox(after id: Int64, limit: Int, scope: OutboxScope) async throws -> [OutboxMessage] {
        guard limit > 0 else { return [] }
        let writer = self.writer
        return try await pool.withSession { session in
            switch scope {
            case .all:
                return try Self.outboxRows(
                    session.open().execute(PostgresStatements.outboxPending, [.int8(Int64(limit)), .int8(id)]))
            case .own(let orphanedBefore):
                let own = try Self.outboxRows(
                    session.open().execute(
                        PostgresStatements.outboxPendingOwn, [.int8(Int64(limit)), .int8(id), .text(writer), .int8(orphanedBefore)]))
                guard let last = own.last else { return own }
                let earlier = try Self.outboxRows(
                    session.open().execute(
                        PostgresStatements.outboxEarlierOfKeys, [.int8(id), .int8(last.id), .text(writer), .int8(orphanedBefore)]))
                return own.withEarlierRows(earlier)
            }
        }
    }

    private static func outboxRows(_ rows: PostgresResult) throws -> [OutboxMessage] {
        try (0..<rows.rowCount).map { row in
            OutboxMessage(
                id: rows.int64(row, 0), topic: rows.text(row, 1), key: rows.isNull(row, 2) ? nil : rows.bytes(row, 2),
                value: rows.bytes(row, 3), headers: try OutboxHeaderCoding.decode(rows.bytes(row, 4)),
                source: OutboxMessage.source(
                    group: rows.text(row, 5), topic: rows.text(row, 6), partition: rows.int64(row, 7), epoch: rows.int64(row, 8)))
        }
    }

    public func markPublished(_ ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await pool.withSession { session in
            _ = try session.open().execute(PostgresStatements.outboxDelete, [.int8Array(ids)])
        }
    }

    public func pruneInbox(group: String, processedBefore cutoff: Int64, after cursor: String, limit: Int) async throws
        -> InboxSweep
    {
        try await sweep(PostgresStatements.inboxSweep, scope: group, before: cutoff, after: cursor, limit: limit)
    }

    public func pruneState(namespace: String, updatedBefore cutoff: Int64, after cursor: String, limit: Int) async throws
        -> InboxSweep
    {
        try await sweep(PostgresStatements.stateSweep, scope: namespace, before: cutoff, after: cursor, limit: limit)
    }

    /// One step of an inbox or state sweep (`statement` returns rows looked at, last key, rows deleted).
    private func sweep(
        _ statement: PostgresStatement, scope: String, before cutoff: Int64, after cursor: String, limit: Int
    ) async throws -> InboxSweep {
        guard limit > 0 else { return InboxSweep(deleted: 0, next: cursor) }
        return try await pool.withSession { session in
            let rows = try session.open().execute(
                statement, [.text(scope), .text(cursor), .int8(cutoff), .int8(Int64(limit))])
            let seen = Int(rows.int64(0, 0))
            return InboxSweep(deleted: Int(rows.int64(0, 2)), next: seen < limit ? nil : rows.text(0, 1))
        }
    }

    public func close() async throws {
        try await pool.close()
    }

    /// Runs `body` with a pooled connection (re-established first when it broke), outside any transaction.
    func withConnection<R: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> R) async throws -> R {
        try await pool.withSession { session in try body(try session.open()) }
    }
}
