import Logging
import TransitBlocking
import TransitTime

/// The embedded store: one SQLite file in WAL mode. One writer connection, owned by a serial
/// dispatch queue, runs every transaction as `BEGIN IMMEDIATE` … `COMMIT`. Several instances
/// (or processes) may open the same file: their transactions take turns on SQLite's write lock,
/// waiting up to the busy timeout (5 s) before failing with `.conflict`.
public final class SQLiteStore: TransitStore {
    /// The database file.
    public let path: String
    /// Every transaction starts with `BEGIN IMMEDIATE`, which takes the database's write lock.
    public var serializesTransactions: Bool { true }
    /// Tags the outbox rows this instance writes (random per instance; see ``OutboxScope``).
    public let writer: String
    private let connection: ThreadConfined<SQLiteConnection>
    private let logger: Logger
    private let clock: any WallClock

    /// Opens (creating when missing) the database file. Call ``migrate()`` before use. `clock`
    /// stamps inbox, state and outbox rows (tests pass a manual one); `durability` says when a
    /// commit is on disk (``SQLiteDurability/full`` by default).
    public init(
        path: String, logger: Logger, clock: any WallClock = SystemWallClock(), durability: SQLiteDurability = .full
    ) throws {
        self.path = path
        self.logger = logger
        self.clock = clock
        self.writer = OutboxWriter.newID()
        self.connection = ThreadConfined(label: "trialtransit.store.sqlite", value: try SQLiteConnection(path: path, durability: durability))
    }

    public func migrate() async throws {
        let logger = self.logger
        try await connection.run { connection in
            try SQLiteMigrations.migrate(connection, logger: logger)
        }
    }

    public func transaction<R: Sendable>(
        holding claims: [PartitionClaim], _ body: @escaping @Sendable (any StoreTransaction) throws -> R
    ) async throws -> R {
        let (writer, clock) = (self.writer, self.clock)
        return try await connection.run { connection in
            try connection.run(SQLiteQueries.begin)
            let transaction = SQLiteTransaction(connection: connection, now: clock.nowMilliseconds(), writer: writer)
            do {
                // The write lock, taken by BEGIN IMMEDIATE, holds the claims until the commit.
                try claims.verify { claim in try Self.latestEpoch(claim, connection: connection) }
                let result = try body(transaction)
                transaction.end()
                if let failure = transaction.failure { throw failure }
                try connection.run(SQLiteQueries.commit)
                return result
            } catch {
                transaction.end()
                connection.rollbackQuietly()
                throw error
            }
        }
    }

    public func claim(group: String, topic: String, partition: Int32) async throws -> PartitionClaim {
        let (writer, now) = (self.writer, clock.nowMilliseconds())
        return try await connection.run { connection in
            try connection.run(SQLiteQueries.begin)
            do {
                let epoch = try connection.with(SQLiteQueries.claimTake) { statement in
                    try statement.bind(1, group)
                    try statement.bind(2, topic)
                    try statement.bind(3, Int64(partition))
                    try statement.bind(4, writer)
                    try statement.bind(5, now)
                    _ = try statement.step()
                    return statement.int64(0)
                }
                try connection.run(SQLiteQueries.commit)
                return PartitionClaim(group: group, topic: topic, partition: partition, epoch: epoch)
            } catch {
                connection.rollbackQuietly()
                throw error
            }
        }
    }

    /// The latest epoch of `claim`'s partition, nil when it was never claimed.
    private static func latestEpoch(_ claim: PartitionClaim, connection: SQLiteConnection) throws -> Int64? {
        try connection.with(SQLiteQueries.claimRead) { statement in
            try statement.bind(1, claim.group)
            try statement.bind(2, claim.topic)
            try statement.bind(3, Int64(claim.partition))
            return try statement.step() ? statement.int64(0) : nil
        }
    }

    public func pendingOutbox(after id: Int64, limit: Int, scope: OutboxScope) async throws -> [OutboxMessage] {
        guard limit > 0 else { return [] }
        let writer = self.writer
        return try await connection.run { connection in
            switch scope {
            case .all:
                return try Self.outboxRows(SQLiteQueries.outboxPending, connection: connection) { statement in
                    try statement.bind(1, Int64(limit))
                    try statement.bind(2, id)
                }
            case .own(let orphanedBefore):
                let own = try Self.outboxRows(SQLiteQueries.outboxPendingOwn, connection: connection) { statement in
                    try statement.bind(1, Int64(limit))
                    try statement.bind(2, id)
                    try statement.bind(3, writer)
                    try statement.bind(4, orphanedBefore)
                }
                guard let last = own.last else { return own }
                let earlier = try Self.outboxRows(SQLiteQueries.outboxEarlierOfKeys, connection: connection) { statement in
                    try statement.bind(1, id)
                    try statement.bind(2, last.id)
                    try statement.bind(3, writer)
                    try statement.bind(4, orphanedBefore)
                }
                return own.withEarlierRows(earlier)
            }
        }
    }

    /// The outbox rows `query` returns with the parameters `bind` sets.
    private static func outboxRows(
        _ query: SQLiteQuery, connection: SQLiteConnection, bind: (SQLiteStatement) throws -> Void
    ) throws -> [OutboxMessage] {
        try connection.with(query) { statement in
            try bind(statement)
            var messages: [OutboxMessage] = []
            while try statement.step() {
                messages.append(
                    OutboxMessage(
                        id: statement.int64(0), topic: statement.text(1),
                        key: statement.isNull(2) ? nil : statement.bytes(2), value: statement.bytes(3),
                        headers: try OutboxHeaderCoding.decode(statement.bytes(4)),
                        source: OutboxMessage.source(
                            group: statement.text(5), topic: statement.text(6), partition: statement.int64(7),
                            epoch: statement.int64(8))))
            }
            return messages
        }
    }

    public func markPublished(_ ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await connection.run { connection in
            try connection.run(SQLiteQueries.begin)
            do {
                // One range delete per run of consecutive ids (a relay publishes whole runs).
                for run in ids.consecutiveRuns() {
                    try connection.with(SQLiteQueries.outboxDelete) { statement in
                        try statement.bind(1, run.lowerBound)
                        try statement.bind(2, run.upperBound)
                        try statement.run()
                    }
                }
                try connection.run(SQLiteQueries.commit)
            } catch {
                connection.rollbackQuietly()
                throw error
            }
        }
    }

    public func pruneInbox(group: String, processedBefore cutoff: Int64, after cursor: String, limit: Int) async throws
        -> InboxSweep
    {
        try await sweep(
            window: SQLiteQueries.inboxSweepWindow, prune: SQLiteQueries.inboxPruneRange, scope: group, before: cutoff,
            after: cursor, limit: limit)
    }

    public func pruneState(namespace: String, updatedBefore cutoff: Int64, after cursor: String, limit: Int) async throws
        -> InboxSweep
    {
        try await sweep(
            window: SQLiteQueries.stateSweepWindow, prune: SQLiteQueries.statePruneRange, scope: namespace,
            before: cutoff, after: cursor, limit: limit)
    }

    /// One step of a sweep in key order: `window` counts up to `limit` keys of `scope` after
    /// `cursor` and gives the last; `prune` deletes those of them older than `cutoff`.
    private func sweep(
        window: SQLiteQuery, prune: SQLiteQuery, scope: String, before cutoff: Int64, after cursor: String, limit: Int
    ) async throws -> InboxSweep {
        guard limit > 0 else { return InboxSweep(deleted: 0, next: cursor) }
        return try await connection.run { connection in
            try connection.run(SQLiteQueries.begin)
            do {
                let (count, last) = try connection.with(window) { statement in
                    try statement.bind(1, scope)
                    try statement.bind(2, cursor)
                    try statement.bind(3, Int64(limit))
                    _ = try statement.step()
                    return (Int(statement.int64(0)), statement.isNull(1) ? nil : statement.text(1))
                }
                var deleted = 0
                if let last {
                    deleted = try connection.with(prune) { statement in
                        try statement.bind(1, scope)
                        try statement.bind(2, cursor)
                        try statement.bind(3, last)
                        try statement.bind(4, cutoff)
                        return try statement.run()
                    }
                }
                try connection.run(SQLiteQueries.commit)
                return InboxSweep(deleted: deleted, next: count < limit ? nil : last)
            } catch {
                connection.rollbackQuietly()
                throw error
            }
        }
    }

    public func close() async throws {
        try await connection.run { connection in connection.close() }
    }
}
