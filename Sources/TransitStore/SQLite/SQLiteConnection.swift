internal import CSQLite

/// One SQLite connection with its cache of prepared statements. Not thread-safe: a store keeps it
/// in a ``ThreadConfined`` so one serial queue uses it. Closed in ``close()`` or deinit.
final class SQLiteConnection {
    /// How long a writer waits for another connection's write lock before `.conflict`.
    static let busyTimeoutMilliseconds: Int32 = 5_000

    private var database: OpaquePointer?
    private var statements = [SQLiteStatement?](repeating: nil, count: SQLiteQueries.slotCount)

    /// Opens (creating when missing) the database file and applies the connection settings:
    /// WAL journal, `synchronous` per `durability`, busy timeout, foreign keys.
    init(path: String, durability: SQLiteDurability = .full) throws {
        var database: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let code = sqlite3_open_v2(path, &database, flags, nil)
        guard code == SQLITE_OK, let database else {
            let error = StoreError(sqlite: code, database: database, operation: "open SQLite database")
            sqlite3_close_v2(database)
            throw error
        }
        self.database = database
        sqlite3_busy_timeout(database, Self.busyTimeoutMilliseconds)
        // The pragma answers with the mode in force instead of failing (e.g. on a file system
        // without shared memory), so check it.
        let mode = try withUncached("PRAGMA journal_mode = WAL", operation: "enable WAL") { statement in
            try statement.step() ? statement.text(0) : ""
        }
        guard mode.lowercased() == "wal" else {
            throw StoreError(code: .unavailable, message: "enable WAL failed: journal mode stays '\(mode)'")
        }
        try execute(durability.pragma, operation: "set synchronous")
        try execute("PRAGMA foreign_keys = ON", operation: "enable foreign keys")
        try execute("PRAGMA temp_store = MEMORY", operation: "set temp_store")
        try execute("PRAGMA cache_size = -16384", operation: "set cache_size")  // 16 MiB
    }

    deinit { close() }

    /// Finalizes the statements and closes the database. Idempotent.
    func close() {
        statements = []
        if let database { sqlite3_close_v2(database) }
        database = nil
    }

    var isOpen: Bool { database != nil }

    /// True inside `BEGIN` … `COMMIT`.
    var inTransaction: Bool {
        guard let database else { return false }
        return sqlite3_get_autocommit(database) == 0
    }

    /// Runs SQL text without parameters (schema statements, pragmas); rows are ignored.
    func execute(_ sql: String, operation: String) throws {
        let database = try open()
        let code = sqlite3_exec(database, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw StoreError(sqlite: code, database: database, operation: operation) }
    }

    /// Runs a cached statement without parameters or rows (`BEGIN IMMEDIATE`, `COMMIT`, …).
    func run(_ query: SQLiteQuery) throws {
        try with(query) { _ = try $0.run() }
    }

    /// Rolls back the open transaction, if any; errors are ignored (the caller reports its own).
    func rollbackQuietly() {
        guard inTransaction else { return }
        do { try run(SQLiteQueries.rollback) } catch {}
    }

    /// Runs `body` with the cached statement of `query` (prepared on first use), then resets it.
    func with<R>(_ query: SQLiteQuery, _ body: (SQLiteStatement) throws -> R) throws -> R {
        let statement: SQLiteStatement
        if query.slot < statements.count, let cached = statements[query.slot] {
            statement = cached
        } else {
            statement = try SQLiteStatement(database: try open(), sql: query.sql, operation: query.operation)
            if query.slot < statements.count { statements[query.slot] = statement }
        }
        defer { statement.reset() }
        return try body(statement)
    }

    /// Runs `body` with a one-off statement (tests, diagnostics); finalized afterwards.
    func withUncached<R>(_ sql: String, operation: String, _ body: (SQLiteStatement) throws -> R) throws -> R {
        try body(try SQLiteStatement(database: try open(), sql: sql, operation: operation))
    }

    private func open() throws -> OpaquePointer {
        guard let database else { throw StoreError(code: .closed, message: "the SQLite store is closed") }
        return database
    }
}
