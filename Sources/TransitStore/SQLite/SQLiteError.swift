internal import CSQLite

extension StoreError {
    /// Maps an SQLite result code. The message holds the operation and SQLite's own text, which
    /// names tables, columns and constraints but never bound values.
    init(sqlite code: Int32, database: OpaquePointer?, operation: String) {
        let primary = code & 0xff
        let mapped: Code
        switch primary {
        case SQLITE_BUSY, SQLITE_LOCKED, SQLITE_PROTOCOL: mapped = .conflict
        case SQLITE_CANTOPEN, SQLITE_IOERR, SQLITE_FULL: mapped = .unavailable
        case SQLITE_CONSTRAINT: mapped = .constraint
        default: mapped = .other
        }
        var text = String(cString: sqlite3_errstr(code))
        if let database, sqlite3_extended_errcode(database) == code {
            text = String(cString: sqlite3_errmsg(database))
        }
        self.init(code: mapped, message: "\(operation) failed: \(text) (SQLite code \(code))")
    }
}
