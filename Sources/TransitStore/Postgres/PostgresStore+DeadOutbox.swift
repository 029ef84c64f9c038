/// Outbox rows that can never be published: replaced by their dead letter, or moved to the dead
/// outbox. Each is one statement (a data-modifying CTE), so it is atomic on its own.
extension PostgresStore {
    public func replaceOutbox(_ id: Int64, with replacement: OutboxMessage) async throws {
        let (writer, now) = (self.writer, clock.nowMilliseconds())
        try await withConnection { connection in
            _ = try connection.execute(
                PostgresStatements.outboxReplace,
                [
                    .int8(id), .textArray([replacement.topic]), .byteaArray([replacement.key]), .byteaArray([replacement.value]),
                    .byteaArray([OutboxHeaderCoding.encode(replacement.headers)]), .int8(now), .text(writer),
                ])
        }
    }

    public func buryOutbox(_ id: Int64, reason: String, failedAt: Int64) async throws {
        try await withConnection { connection in
            _ = try connection.execute(PostgresStatements.outboxBury, [.int8(id), .text(reason), .int8(failedAt)])
        }
    }

    public func deadOutbox(limit: Int) async throws -> [DeadOutboxEntry] {
        guard limit > 0 else { return [] }
        return try await withConnection { connection in
            let rows = try connection.execute(PostgresStatements.deadOutboxRead, [.int8(Int64(limit))])
            return try (0..<rows.rowCount).map { row in
                DeadOutboxEntry(
                    id: rows.int64(row, 0),
                    message: OutboxMessage(
                        id: rows.int64(row, 1), topic: rows.text(row, 2), key: rows.isNull(row, 3) ? nil : rows.bytes(row, 3),
                        value: rows.bytes(row, 4), headers: try OutboxHeaderCoding.decode(rows.bytes(row, 5))),
                    reason: rows.text(row, 6), failedAt: rows.int64(row, 7))
            }
        }
    }
}
