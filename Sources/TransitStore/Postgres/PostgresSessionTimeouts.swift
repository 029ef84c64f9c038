import TransitTime

/// Server-side limits every store session sets, so that no session waits forever on another: a
/// paused or dead process holding row locks delays its successor by at most ``idleInTransaction``
/// (the server then ends the paused session and releases its locks) plus ``lock`` per attempt.
///
/// A limit the connection URL already sets (e.g. `options=-c%20lock_timeout%3D2s`) is left as the
/// URL says; `nil` leaves the server's setting.
public struct PostgresSessionTimeouts: Sendable, Hashable {
    /// `lock_timeout`: a statement waiting this long for a lock fails (SQLSTATE 55P03, a conflict
    /// the worker retries with backoff). Default: 5 s.
    public var lock: Duration?
    /// `statement_timeout`: a statement running this long is cancelled. Default: 60 s.
    public var statement: Duration?
    /// `idle_in_transaction_session_timeout`: a session idle this long inside a transaction (a
    /// paused process) is ended by the server, its transaction rolled back. Default: 30 s.
    public var idleInTransaction: Duration?

    public init(
        lock: Duration? = .seconds(5), statement: Duration? = .seconds(60), idleInTransaction: Duration? = .seconds(30)
    ) {
        self.lock = lock
        self.statement = statement
        self.idleInTransaction = idleInTransaction
    }

    /// The `SET` statements for the limits the URL does not set itself.
    func statements(leaving url: String) -> [String] {
        [("lock_timeout", lock), ("statement_timeout", statement), ("idle_in_transaction_session_timeout", idleInTransaction)]
            .compactMap { name, value in
                guard let value, !url.contains(name) else { return nil }
                return "SET \(name) = \(max(1, value.milliseconds))"
            }
    }
}
