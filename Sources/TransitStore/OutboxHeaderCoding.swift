import TransitWire

/// The `outbox.headers` column: a `trialtransit.store.v1.StoredHeaders` protobuf (no headers: no
/// bytes). Rows of the old varint format were marked by schema migration
/// ``SchemaMigration/outboxHeadersMarkedVersion`` with a leading 00 byte, which no protobuf
/// encoding starts with (field 0 does not exist); they are read (``LegacyOutboxHeaders``), never
/// written.
enum OutboxHeaderCoding {
    static func encode(_ headers: [OutboxHeader]) -> [UInt8] {
        StoredHeaders(headers: headers.map { StoredHeader(name: $0.name, value: $0.value) }).wireBytes()
    }

    /// Decodes either format; throws ``StoreError/Code/other`` on malformed bytes.
    static func decode(_ bytes: [UInt8]) throws -> [OutboxHeader] {
        guard let first = bytes.first else { return [] }
        if first == LegacyOutboxHeaders.marker { return try LegacyOutboxHeaders.decode(bytes.dropFirst()) }
        do {
            return try StoredHeaders(wireBytes: bytes).headers.map { OutboxHeader(name: $0.name, value: $0.value) }
        } catch {
            throw malformed
        }
    }

    static let malformed = StoreError(code: .other, message: "malformed outbox headers column")
}
