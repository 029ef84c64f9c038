extension SchemaMigration {
    /// The schema version that marks outbox headers of the old varint format (docs/STORES.md,
    /// "Stored formats"); the one number to change if the step must move.
    static let outboxHeadersMarkedVersion = 4
    static let outboxHeadersMarkedName = "outbox headers: old varint rows marked with a 00 byte"

    /// SQLite: `||` yields text, cast back to a blob byte for byte.
    static let outboxHeadersMarkedSQLite = SchemaMigration(
        version: outboxHeadersMarkedVersion, name: outboxHeadersMarkedName,
        statements: ["UPDATE outbox SET headers = CAST(X'00' || headers AS BLOB) WHERE length(headers) > 0"])

    static let outboxHeadersMarkedPostgres = SchemaMigration(
        version: outboxHeadersMarkedVersion, name: outboxHeadersMarkedName,
        statements: ["UPDATE outbox SET headers = '\\x00'::bytea || headers WHERE length(headers) > 0"])
}
