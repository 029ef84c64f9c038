/// ``StoreTransaction`` on an SQLite connection inside `BEGIN IMMEDIATE`. Every call runs its
/// cached statement at once. Used only on the connection's queue, only while the transaction is
/// open; after a store error the transaction is doomed and commits nothing.
final class SQLiteTransaction: StoreTransaction {
    let connection: SQLiteConnection
    private let now: Int64
    private let lifecycle = TransactionGuard()
    /// The first store error raised inside the transaction (it dooms the commit).
    var failure: StoreError? { lifecycle.failure }

    /// Tags the outbox rows this transaction writes (``OutboxScope``).
    private let writer: String

    init(connection: SQLiteConnection, now: Int64, writer: String) {
        self.connection = connection
        self.now = now
        self.writer = writer
    }

    /// Ends the transaction: later calls through a leaked reference throw `.closed`.
    func end() { lifecycle.end() }

    // MARK: Inbox

    func processed(group: String, ids: [String]) throws -> Set<String> {
        try guarded {
            var seen = Set<String>()
            for id in ids {
                let found = try connection.with(SQLiteQueries.inboxLookup) { statement in
                    try statement.bind(1, group)
                    try statement.bind(2, id)
                    return try statement.step()
                }
                if found { seen.insert(id) }
            }
            return seen
        }
    }

    func markProcessed(group: String, ids: [String]) throws {
        try guarded {
            for id in ids {
                try connection.with(SQLiteQueries.inboxInsert) { statement in
                    try statement.bind(1, group)
                    try statement.bind(2, id)
                    try statement.bind(3, now)
                    try statement.run()
                }
            }
        }
    }

    // MARK: State

    func state(namespace: String, key: String) throws -> [UInt8]? {
        try guarded {
            try connection.with(SQLiteQueries.stateRead) { statement in
                try statement.bind(1, namespace)
                try statement.bind(2, key)
                return try statement.step() ? statement.bytes(0) : nil
            }
        }
    }

    func setState(namespace: String, key: String, value: [UInt8]) throws {
        try guarded {
            try connection.with(SQLiteQueries.stateUpsert) { statement in
                try statement.bind(1, namespace)
                try statement.bind(2, key)
                try statement.bind(3, value)
                try statement.bind(4, now)
                try statement.run()
            }
        }
    }

    func deleteState(namespace: String, key: String) throws {
        try guarded {
            try connection.with(SQLiteQueries.stateDelete) { statement in
                try statement.bind(1, namespace)
                try statement.bind(2, key)
                try statement.run()
            }
        }
    }

    func stateKeys(namespace: String, prefix: String) throws -> [String] {
        try guarded {
            let range = KeyPrefixRange(prefix: prefix)
            let query = range.upper == nil ? SQLiteQueries.stateKeysFrom : SQLiteQueries.stateKeysBetween
            return try connection.with(query) { statement in
                try statement.bind(1, namespace)
                try statement.bind(2, range.lower)
                if let upper = range.upper { try statement.bind(3, upper) }
                var keys: [String] = []
                while try statement.step() { keys.append(statement.text(0)) }
                return keys
            }
        }
    }

    // MARK: Outbox

    func enqueue(_ messages: [OutboxMessage]) throws {
        try guarded {
            for message in messages {
                try connection.with(SQLiteQueries.outboxInsert) { statement in
                    try statement.bind(1, message.topic)
                    try statement.bind(2, message.key)
                    try statement.bind(3, message.value)
                    try statement.bind(4, OutboxHeaderCoding.encode(message.headers))
                    try statement.bind(5, now)
                    try statement.bind(6, writer)
                    let claim = message.claimColumns
                    try statement.bind(7, claim.group)
                    try statement.bind(8, claim.topic)
                    try statement.bind(9, claim.partition)
                    try statement.bind(10, claim.epoch)
                    try statement.run()
                }
            }
        }
    }

    // MARK: Timers

    func schedule(_ timer: DurableTimer) throws {
        try guarded {
            try connection.with(SQLiteQueries.timerUpsert) { statement in
                try statement.bind(1, timer.key)
                try statement.bind(2, timer.owner)
                try statement.bind(3, timer.fireAt)
                try statement.bind(4, timer.payload)
                try statement.run()
            }
        }
    }

    func cancelTimer(key: String) throws {
        try guarded {
            try connection.with(SQLiteQueries.timerDelete) { statement in
                try statement.bind(1, key)
                try statement.run()
            }
        }
    }

    func dueTimers(owner: String?, now: Int64, limit: Int) throws -> [DurableTimer] {
        try guarded {
            guard limit > 0 else { return [] }
            return try connection.with(SQLiteQueries.dueTimers) { statement in
                try statement.bind(1, now)
                try statement.bind(2, Int64(limit))
                try statement.bind(3, owner ?? "")
                var timers: [DurableTimer] = []
                while try statement.step() {
                    timers.append(
                        DurableTimer(
                            key: statement.text(0), owner: statement.text(1), fireAt: statement.int64(2),
                            payload: statement.bytes(3)))
                }
                return timers
            }
        }
    }

    // MARK: Counters

    func setCapacity(counter: String, capacity: Int) throws {
        try guarded {
            try connection.with(SQLiteQueries.counterCapacity) { statement in
                try statement.bind(1, counter)
                try statement.bind(2, Int64(capacity))
                try statement.run()
            }
        }
    }

    func reserve(counter: String, amount: Int) throws -> Bool {
        try guarded {
            try CounterAmount.check(amount)
            return try connection.with(SQLiteQueries.counterReserve) { statement in
                try statement.bind(1, counter)
                try statement.bind(2, Int64(amount))
                return try statement.run() == 1
            }
        }
    }

    func release(counter: String, amount: Int) throws {
        try guarded {
            try CounterAmount.check(amount)
            try connection.with(SQLiteQueries.counterRelease) { statement in
                try statement.bind(1, counter)
                try statement.bind(2, Int64(amount))
                try statement.run()
            }
        }
    }

    func counter(_ name: String) throws -> (used: Int, capacity: Int)? {
        try guarded {
            try connection.with(SQLiteQueries.counterRead) { statement in
                try statement.bind(1, name)
                guard try statement.step() else { return nil }
                return (used: Int(statement.int64(0)), capacity: Int(statement.int64(1)))
            }
        }
    }

    // MARK: -

    private func guarded<R>(_ body: () throws -> R) throws -> R {
        try lifecycle.run(body)
    }
}
