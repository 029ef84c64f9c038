import Logging
import TransitTime

/// The SQLite schema, as versioned steps (see docs/STORES.md). Append new versions; never edit
/// a released one.
enum SQLiteMigrations {
    static let all: [SchemaMigration] = [
        SchemaMigration(
            version: 1, name: "inbox, state, outbox, timers, counters",
            statements: [
                """
                CREATE TABLE inbox (
                    consumer_group TEXT NOT NULL,
                    event_id TEXT NOT NULL,
                    processed_at INTEGER NOT NULL,
                    PRIMARY KEY (consumer_group, event_id)
                ) STRICT, WITHOUT ROWID
                """,
                """
                CREATE TABLE state (
                    namespace TEXT NOT NULL,
                    key TEXT NOT NULL,
                    value BLOB NOT NULL,
                    updated_at INTEGER NOT NULL,
                    PRIMARY KEY (namespace, key)
                ) STRICT
                """,
                """
                CREATE TABLE outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    topic TEXT NOT NULL,
                    key BLOB,
                    value BLOB NOT NULL,
                    headers BLOB NOT NULL,
                    created_at INTEGER NOT NULL
                ) STRICT
                """,
                """
                CREATE TABLE timers (
                    key TEXT PRIMARY KEY NOT NULL,
                    owner TEXT NOT NULL,
                    fire_at INTEGER NOT NULL,
                    payload BLOB NOT NULL
                ) STRICT
                """,
                "CREATE INDEX timers_fire_at ON timers (fire_at, key)",
                """
                CREATE TABLE counters (
                    name TEXT PRIMARY KEY NOT NULL,
                    used INTEGER NOT NULL CONSTRAINT counters_used_check CHECK (used >= 0),
                    capacity INTEGER NOT NULL CONSTRAINT counters_capacity_check CHECK (capacity >= 0)
                ) STRICT
                """,
            ]),
        SchemaMigration(
            version: 2, name: "outbox writer (one relay per writer)",
            statements: ["ALTER TABLE outbox ADD COLUMN writer TEXT NOT NULL DEFAULT ''"]),
        SchemaMigration(
            version: 3, name: "dead outbox (messages that can be neither published nor dead-lettered)",
            statements: [
                """
                CREATE TABLE dead_outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    outbox_id INTEGER NOT NULL,
                    topic TEXT NOT NULL,
                    key BLOB,
                    value BLOB NOT NULL,
                    headers BLOB NOT NULL,
                    reason TEXT NOT NULL,
                    failed_at INTEGER NOT NULL
                ) STRICT
                """
            ]),
        .outboxHeadersMarkedSQLite,
        .partitionClaimsSQLite,
    ]

    /// Brings the schema to the newest version in one `BEGIN IMMEDIATE` transaction.
    static func migrate(_ connection: SQLiteConnection, logger: Logger) throws {
        try connection.execute("BEGIN IMMEDIATE", operation: "begin migration")
        do {
            try connection.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY NOT NULL,
                    applied_at INTEGER NOT NULL
                ) STRICT
                """, operation: "create schema_migrations")
            let current = try connection.with(SQLiteQueries.schemaVersion) { statement in
                _ = try statement.step()
                return Int(statement.int64(0))
            }
            for migration in try all.pending(after: current, store: "SQLite") {
                do {
                    for sql in migration.statements {
                        try connection.execute(sql, operation: "migration \(migration.version)")
                    }
                } catch let error as StoreError where !error.isTransient {
                    throw StoreError(code: .schema, message: error.message)
                }
                try connection.with(SQLiteQueries.recordMigration) { statement in
                    try statement.bind(1, Int64(migration.version))
                    try statement.bind(2, SystemWallClock().nowMilliseconds())
                    try statement.run()
                }
                logger.info(
                    "applied schema migration",
                    metadata: ["store": "sqlite", "version": "\(migration.version)", "migration": "\(migration.name)"])
            }
            try connection.execute("COMMIT", operation: "commit migration")
        } catch {
            connection.rollbackQuietly()
            throw error
        }
    }
}
