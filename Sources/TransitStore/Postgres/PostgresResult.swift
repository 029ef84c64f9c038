internal import CLibPQ

/// Owns one `PGresult*` and clears it in deinit, so every path frees it. Columns of prepared
/// statements come back in binary format; those of plain SQL text in text format.
final class PostgresResult {
    private let handle: OpaquePointer

    init(_ handle: OpaquePointer) { self.handle = handle }

    deinit { PQclear(handle) }

    var status: ExecStatusType { PQresultStatus(handle) }

    var rowCount: Int { Int(PQntuples(handle)) }

    /// Rows changed by an INSERT, UPDATE or DELETE.
    var rowsAffected: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }

    /// The command tag, e.g. `COMMIT` (or `ROLLBACK` when a failed transaction was ended).
    var commandStatus: String { String(cString: PQcmdStatus(handle)) }

    /// A diagnostic field (`PG_DIAG_*`, e.g. `C` for the SQLSTATE), if present.
    func errorField(_ code: Character) -> String? {
        guard let ascii = code.asciiValue, let field = PQresultErrorField(handle, Int32(ascii)) else { return nil }
        return String(cString: field)
    }

    func isNull(_ row: Int, _ column: Int) -> Bool { PQgetisnull(handle, Int32(row), Int32(column)) != 0 }

    func bytes(_ row: Int, _ column: Int) -> [UInt8] {
        let count = Int(PQgetlength(handle, Int32(row), Int32(column)))
        guard count > 0, let value = PQgetvalue(handle, Int32(row), Int32(column)) else { return [] }
        return Array(UnsafeRawBufferPointer(start: value, count: count))
    }

    func text(_ row: Int, _ column: Int) -> String {
        let count = Int(PQgetlength(handle, Int32(row), Int32(column)))
        guard count > 0, let value = PQgetvalue(handle, Int32(row), Int32(column)) else { return "" }
        return value.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
    }

    /// A binary `bigint` column.
    func int64(_ row: Int, _ column: Int) -> Int64 {
        guard PQgetlength(handle, Int32(row), Int32(column)) == 8, let value = PQgetvalue(handle, Int32(row), Int32(column))
        else { return 0 }
        return Int64(bigEndian: UnsafeRawPointer(value).loadUnaligned(as: Int64.self))
    }
}
