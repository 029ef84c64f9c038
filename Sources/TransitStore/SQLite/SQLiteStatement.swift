internal import CSQLite

/// SQLite's SQLITE_TRANSIENT: bound bytes are copied before the bind call returns.
private var transient: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }

/// A prepared statement, cached by its ``SQLiteConnection`` and reused; finalized in deinit.
/// Confined to the connection's thread like the connection.
final class SQLiteStatement {
    private let handle: OpaquePointer
    private let database: OpaquePointer
    let operation: String

    init(database: OpaquePointer, sql: String, operation: String) throws {
        var handle: OpaquePointer?
        let code = sqlite3_prepare_v3(database, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, nil)
        guard code == SQLITE_OK, let handle else {
            sqlite3_finalize(handle)
            throw StoreError(sqlite: code, database: database, operation: "prepare \(operation)")
        }
        self.handle = handle
        self.database = database
        self.operation = operation
    }

    deinit { sqlite3_finalize(handle) }

    // MARK: Binding (indexes start at 1)

    func bind(_ index: Int32, _ value: String) throws {
        var value = value
        let code = value.withUTF8 { utf8 -> Int32 in
            guard let base = utf8.baseAddress, !utf8.isEmpty else {
                return sqlite3_bind_text(handle, index, "", 0, nil)
            }
            return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                sqlite3_bind_text64(handle, index, $0, sqlite3_uint64(utf8.count), transient, UInt8(SQLITE_UTF8))
            }
        }
        try check(code)
    }

    /// Binds bytes, or NULL for nil. Empty arrays bind an empty blob, not NULL.
    func bind(_ index: Int32, _ value: [UInt8]?) throws {
        guard let value else { return try check(sqlite3_bind_null(handle, index)) }
        let code = value.withUnsafeBytes { bytes -> Int32 in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_zeroblob(handle, index, 0) }
            return sqlite3_bind_blob64(handle, index, base, sqlite3_uint64(bytes.count), transient)
        }
        try check(code)
    }

    func bind(_ index: Int32, _ value: Int64) throws {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    // MARK: Running

    /// Steps once: true when a row is available, false when done.
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw StoreError(sqlite: code, database: database, operation: operation)
        }
    }

    /// Runs a statement that returns no rows; returns the number of rows it changed.
    @discardableResult
    func run() throws -> Int {
        while try step() {}
        return Int(sqlite3_changes(database))
    }

    /// Resets for the next use and drops the bound values (they may be large or personal).
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: Columns (indexes start at 0)

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    func bytes(_ column: Int32) -> [UInt8] {
        guard let pointer = sqlite3_column_blob(handle, column) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, column))
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw StoreError(sqlite: code, database: database, operation: operation) }
    }
}
