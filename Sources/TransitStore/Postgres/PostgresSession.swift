import Logging
import TransitTime

/// One pooled connection and what a job does with it: reconnect when it broke, run a
/// transaction. Lives in a ``ThreadConfined``, so one thread at a time uses it.
final class PostgresSession {
    private var connection: PostgresConnection?
    private let logger: Logger
    private let clock: any WallClock

    init(connection: PostgresConnection, logger: Logger, clock: any WallClock) {
        self.connection = connection
        self.logger = logger
        self.clock = clock
    }

    /// The connection, re-established first when the previous call found it broken.
    func open() throws -> PostgresConnection {
        guard let connection else { throw StoreError(code: .closed, message: "the PostgreSQL store is closed") }
        if try connection.reconnectIfBroken() {
            logger.warning("reconnected to PostgreSQL after losing the connection", metadata: ["store": "postgres"])
        }
        return connection
    }

    func close() { connection = nil }

    /// Runs `body` in `BEGIN` … `COMMIT`; rolls back when anything throws. Outbox rows are tagged `writer`.
    /// `claims` are checked and held first (``TransitStore/transaction(holding:_:)``).
    func transaction<R>(writer: String, holding claims: [PartitionClaim], _ body: (any StoreTransaction) throws -> R) throws -> R {
        let connection = try open()
        try connection.execute("BEGIN", operation: "begin transaction")
        let transaction = PostgresTransaction(connection: connection, now: clock.nowMilliseconds(), writer: writer)
        do {
            if !claims.isEmpty { try transaction.hold(claims) }
            let result = try body(transaction)
            try transaction.prepareCommit()
            let commit = try connection.execute("COMMIT", operation: "commit transaction")
            guard commit.commandStatus == "COMMIT" else {
                throw StoreError(code: .conflict, message: "commit transaction failed: the server rolled it back")
            }
            return result
        } catch {
            transaction.end()
            connection.rollbackQuietly()
            throw error
        }
    }
}
