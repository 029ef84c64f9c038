internal import CLibPQ

extension StoreError {
    /// Maps a failed PostgreSQL call. The message holds the operation, the SQLSTATE and the
    /// constraint or table name, never the server's message text, which may quote stored values.
    init(postgres result: PostgresResult?, connectionLost: Bool, operation: String) {
        if connectionLost {
            self.init(code: .unavailable, message: "\(operation) failed: the connection to PostgreSQL was lost")
            return
        }
        guard let result, let state = result.errorField("C") else {
            self.init(code: .other, message: "\(operation) failed without an SQLSTATE")
            return
        }
        var detail = "SQLSTATE \(state)"
        if let name = Self.conditionNames[state] { detail += " \(name)" }
        if let constraint = result.errorField("n") {
            detail += ", constraint \(constraint)"
        } else if let table = result.errorField("t") {
            detail += ", table \(table)"
        }
        self.init(code: Self.code(sqlState: state), message: "\(operation) failed (\(detail))")
    }

    /// The store error code for an SQLSTATE.
    static func code(sqlState state: String) -> Code {
        switch state {
        case "40001", "40P01", "55P03": return .conflict  // serialization failure, deadlock, lock not available
        case "42P01", "42703": return .schema  // undefined table or column: migrate() was not run
        default: break
        }
        switch state.prefix(2) {
        case "23": return .constraint
        case "08", "53", "57", "58": return .unavailable  // connection, resources, shutdown, system
        case "40": return .conflict
        default: return .other
        }
    }

    private static let conditionNames: [String: String] = [
        "23502": "not_null_violation", "23505": "unique_violation", "23514": "check_violation",
        "40001": "serialization_failure", "40P01": "deadlock_detected", "55P03": "lock_not_available",
        "42P01": "undefined_table", "42703": "undefined_column", "22021": "character_not_in_repertoire",
        "53100": "disk_full", "57P01": "admin_shutdown",
    ]
}
