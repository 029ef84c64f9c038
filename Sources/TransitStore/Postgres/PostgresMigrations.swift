import Logging
import TransitTime

/// The PostgreSQL schema, as versioned steps (see docs/STORES.md). Append new versions; never
/// edit a released one. Key columns use the "C" collation: byte order, as in SQLite, and prefix
/// listings are index range scans.
enum PostgresMigrations {
    /// `pg_advisory_xact_lock` key that serializes migrations of concurrent processes.
    static let lockKey: Int64 = 0x7472_616e_7369_74  // "transit"

    static let all: [SchemaMigration] = [
        SchemaMigration(
            version: 1, name: "inbox, state, outbox, timers, counters",
            statements: [
                """
                CREATE TABLE inbox (
                    consumer_group text COLLATE "C" NOT NULL,
                    event_id text COLLATE "C" NOT NULL,
                    processed_at bigint NOT NULL,
                    PRIMARY KEY (consumer_group, event_id)
                )
                """,
                """
                CREATE TABLE state (
                    namespace text COLLATE "C" NOT NULL,
                    key text COLLATE "C" NOT NULL,
                    value bytea NOT NULL,
                    updated_at bigint NOT NULL,
                    PRIMARY KEY (namespace, key)
                )
                """,
                """
                CREATE TABLE outbox (
                    id bigserial PRIMARY KEY,
                    topic text NOT NULL,
                    key bytea,
                    value bytea NOT NULL,
                    headers bytea NOT NULL,
                    created_at bigint NOT NULL
                )
                """,
                """
                CREATE TABLE timers (
                    key text COLLATE "C" PRIMARY KEY,
                    owner text NOT NULL,
                    fire_at bigint NOT NULL,
                    payload bytea NOT NULL
                )
                """,
                "CREATE INDEX timers_fire_at ON timers (fire_at, key)",
                """
                CREATE TABLE counters (
                    name text COLLATE "C" PRIMARY KEY,
                    used bigint NOT NULL CONSTRAINT counters_used_check CHECK (used >= 0),
                    capacity bigint NOT NULL CONSTRAINT counters_capacity_check CHECK (capacity >= 0)
                )
                """,
            ]),
        SchemaMigration(
            version: 2, name: "outbox writer (one relay per writer)",
            statements: ["ALTER TABLE outbox ADD COLUMN writer text NOT NULL DEFAULT ''"]),
        SchemaMigration(
            version: 3, name: "dead outbox (messages that can be neither published nor dead-lettered)",
            statements: [
                """
                CREATE TABLE dead_outbox (
                    id bigserial PRIMARY KEY,
                    outbox_id bigint NOT NULL,
                    topic text NOT NULL,
                    key bytea,
                    value bytea NOT NULL,
                    headers bytea NOT NULL,
                    reason text NOT NULL,
                    failed_at bigint NOT NULL
                )
                """
            ]),
        .outboxHeadersMarkedPostgres,
        .partitionClaimsPostgres,
    ]

    /// Brings the schema (of the first schema on the connection's `search_path`) to the newest
    /// version in one transaction, under an advisory lock so concurrent starts take turns.
    static func migrate(_ connection: PostgresConnection, logger: Logger) throws {
        try connection.execute("BEGIN", operation: "begin migration")
        do {
            // Concurrent starts (of every schema in the database) take turns on the advisory lock:
            // a migration waits for its turn and may run long, beyond the session's time-outs.
            try connection.execute("SET LOCAL lock_timeout = 0", operation: "begin migration")
            try connection.execute("SET LOCAL statement_timeout = 0", operation: "begin migration")
            try connection.execute("SELECT pg_advisory_xact_lock(\(lockKey))", operation: "lock migrations")
            try connection.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    applied_at bigint NOT NULL
                )
                """, operation: "create schema_migrations")
            let versions = try connection.execute(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", operation: "read schema version")
            let current = Int(versions.text(0, 0)) ?? 0
            for migration in try all.pending(after: current, store: "PostgreSQL") {
                do {
                    for sql in migration.statements {
                        try connection.execute(sql, operation: "migration \(migration.version)")
                    }
                } catch let error as StoreError where !error.isTransient {
                    throw StoreError(code: .schema, message: error.message)
                }
                try connection.execute(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (\(migration.version), \(SystemWallClock().nowMilliseconds()))",
                    operation: "record migration")
                logger.info(
                    "applied schema migration",
                    metadata: ["store": "postgres", "version": "\(migration.version)", "migration": "\(migration.name)"])
            }
            try connection.execute("COMMIT", operation: "commit migration")
        } catch {
            connection.rollbackQuietly()
            throw error
        }
    }
}
