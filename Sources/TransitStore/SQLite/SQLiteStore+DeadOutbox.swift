/// Outbox rows that can never be published: replaced by their dead letter, or moved to the dead outbox.
extension SQLiteStore {
    public func replaceOutbox(_ id: Int64, with replacement: OutboxMessage) async throws {
        try await transaction { transaction in
            guard let transaction = transaction as? SQLiteTransaction else { return }
            if try transaction.deleteOutboxRow(id) { try transaction.enqueue([replacement]) }
        }
    }

    public func buryOutbox(_ id: Int64, reason: String, failedAt: Int64) async throws {
        try await transaction { transaction in
            guard let transaction = transaction as? SQLiteTransaction else { return }
            try transaction.buryOutboxRow(id, reason: reason, failedAt: failedAt)
        }
    }

    public func deadOutbox(limit: Int) async throws -> [DeadOutboxEntry] {
        guard limit > 0 else { return [] }
        return try await transaction { transaction in
            guard let transaction = transaction as? SQLiteTransaction else { return [] }
            return try transaction.deadOutbox(limit: limit)
        }
    }
}

extension SQLiteTransaction {
    /// Deletes one outbox row; false when it was gone.
    func deleteOutboxRow(_ id: Int64) throws -> Bool {
        try connection.with(SQLiteQueries.outboxDeleteOne) { statement in
            try statement.bind(1, id)
            return try statement.run() == 1
        }
    }

    /// Copies one outbox row into the dead outbox and deletes it.
    func buryOutboxRow(_ id: Int64, reason: String, failedAt: Int64) throws {
        try connection.with(SQLiteQueries.deadOutboxInsert) { statement in
            try statement.bind(1, id)
            try statement.bind(2, reason)
            try statement.bind(3, failedAt)
            _ = try statement.run()
        }
        _ = try deleteOutboxRow(id)
    }

    func deadOutbox(limit: Int) throws -> [DeadOutboxEntry] {
        try connection.with(SQLiteQueries.deadOutboxRead) { statement in
            try statement.bind(1, Int64(limit))
            var entries: [DeadOutboxEntry] = []
            while try statement.step() {
                let message = OutboxMessage(
                    id: statement.int64(1), topic: statement.text(2), key: statement.isNull(3) ? nil : statement.bytes(3),
                    value: statement.bytes(4), headers: try OutboxHeaderCoding.decode(statement.bytes(5)))
                entries.append(DeadOutboxEntry(id: statement.int64(0), message: message, reason: statement.text(6), failedAt: statement.int64(7)))
            }
            return entries
        }
    }
}
