internal import CLibPQ

/// A named prepared statement, prepared once per connection on first use.
struct PostgresStatement: Sendable {
    var name: String
    var sql: String
    var parameterTypes: [Oid]
    /// Used in error messages.
    var operation: String
}

/// Owns one `PGconn*` (finished in deinit) and remembers which statements it prepared. Not
/// thread-safe: the store keeps each connection in a ``ThreadConfined`` session.
final class PostgresConnection {
    private let handle: OpaquePointer
    private var prepared: Set<String> = []
    private let sessionSettings: [String]

    /// Connects with a libpq connection string or URL (`postgres://user@host:port/db?options=…`);
    /// `timeouts` are set on the session after every (re)connect.
    init(url: String, timeouts: PostgresSessionTimeouts = PostgresSessionTimeouts(lock: nil, statement: nil, idleInTransaction: nil)) throws {
        sessionSettings = timeouts.statements(leaving: url)
        guard let handle = PQconnectdb(url) else {
            throw StoreError(code: .unavailable, message: "could not connect to PostgreSQL: out of memory")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let reason = Self.connectionErrorText(handle)
            PQfinish(handle)
            throw StoreError(code: .unavailable, message: "could not connect to PostgreSQL: \(reason)")
        }
        self.handle = handle
        try configureSession()
    }

    deinit { PQfinish(handle) }

    var isConnected: Bool { PQstatus(handle) == CONNECTION_OK }

    /// Re-establishes a broken connection (prepared statements are gone with the old session).
    /// Throws `.unavailable` when the server still cannot be reached.
    func reconnectIfBroken() throws -> Bool {
        guard !isConnected else { return false }
        prepared.removeAll()
        PQreset(handle)
        guard isConnected else {
            throw StoreError(
                code: .unavailable, message: "could not reconnect to PostgreSQL: \(Self.connectionErrorText(handle))")
        }
        try configureSession()
        return true
    }

    /// True inside `BEGIN` … `COMMIT`, also when the transaction has failed.
    var inTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    /// Runs SQL text without parameters; results in text format.
    @discardableResult
    func execute(_ sql: String, operation: String) throws -> PostgresResult {
        try checked(PQexec(handle, sql), operation: operation)
    }

    /// Runs a prepared statement (preparing it first on this connection); results in binary format.
    @discardableResult
    func execute(_ statement: PostgresStatement, _ parameters: [PostgresValue]) throws -> PostgresResult {
        if !prepared.contains(statement.name) {
            let result = PQprepare(
                handle, statement.name, statement.sql, Int32(statement.parameterTypes.count), statement.parameterTypes)
            _ = try checked(result, operation: "prepare \(statement.operation)")
            prepared.insert(statement.name)
        }
        var buffer: [UInt8] = []
        var offsets: [Int] = []
        var lengths: [Int32] = []
        offsets.reserveCapacity(parameters.count)
        lengths.reserveCapacity(parameters.count)
        for parameter in parameters {
            let start = buffer.count
            parameter.encode(into: &buffer)
            offsets.append(start)
            lengths.append(Int32(clamping: buffer.count - start))
        }
        buffer.append(0)  // a valid address for empty values, even when every parameter is empty
        let formats = [Int32](repeating: 1, count: parameters.count)
        let result = buffer.withUnsafeBufferPointer { bytes -> OpaquePointer? in
            let base = UnsafeRawPointer(bytes.baseAddress!)
            let values: [UnsafePointer<CChar>?] = offsets.map { (base + $0).assumingMemoryBound(to: CChar.self) }
            return PQexecPrepared(handle, statement.name, Int32(parameters.count), values, lengths, formats, 1)
        }
        return try checked(result, operation: statement.operation)
    }

    /// Rolls back the open transaction, if any; errors are ignored (the caller reports its own).
    func rollbackQuietly() {
        guard isConnected, inTransaction else { return }
        _ = try? execute("ROLLBACK", operation: "roll back transaction")
    }

    private func checked(_ raw: OpaquePointer?, operation: String) throws -> PostgresResult {
        guard let raw else {
            throw StoreError(postgres: nil, connectionLost: !isConnected, operation: operation)
        }
        let result = PostgresResult(raw)
        switch result.status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return result
        default:
            throw StoreError(postgres: result, connectionLost: !isConnected, operation: operation)
        }
    }

    /// Per-session settings, applied after every (re)connect:
    /// - libpq prints notices ("relation already exists, skipping") to stderr by default; they may
    ///   quote values, so they are dropped.
    /// - The store's time-outs (``PostgresSessionTimeouts``).
    /// - Generic plans only. Every statement here is a key lookup or an array write, for which the
    ///   generic plan (an index nested loop over `unnest`) is right; the custom plans PostgreSQL
    ///   tries first misjudge young tables without statistics (measured: a 1,000-id inbox lookup
    ///   on 100,000 rows took 45–65 ms as a hash join, 1.7 ms as the generic nested loop).
    /// - No parallel workers: the statements are short, and a plan made while a table has no
    ///   statistics yet but a large heap (an outbox that queued 600,000 rows, all deleted, before
    ///   the first autovacuum) started two worker processes for every outbox read (measured: 2 ms
    ///   a read became 37 ms, up to 750 ms; docs/PERFORMANCE.md).
    private func configureSession() throws {
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        try execute("SET plan_cache_mode = force_generic_plan", operation: "configure session")
        try execute("SET max_parallel_workers_per_gather = 0", operation: "configure session")
        for setting in sessionSettings { try execute(setting, operation: "configure session") }
    }

    /// libpq's text for a failed connection: host, port and reason, no stored values.
    private static func connectionErrorText(_ handle: OpaquePointer) -> String {
        guard let text = PQerrorMessage(handle) else { return "unknown error" }
        return String(cString: text).split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
