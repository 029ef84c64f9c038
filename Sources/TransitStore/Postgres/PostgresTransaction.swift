/// ``StoreTransaction`` on a PostgreSQL connection inside `BEGIN` … `COMMIT` (READ COMMITTED).
///
/// Reads run at once. Writes to the inbox, state, timers and outbox are buffered and sent at
/// commit (or before a read that needs them) as one array statement per table, sorted by key so
/// that concurrent transactions lock rows in the same order; reads of a buffered state key are
/// answered from the buffer, and reads of keys read ahead (``prefetchState(namespace:keys:)``)
/// from what was read. Counter operations run at once (their conditional update is the
/// point). Used only on the connection's queue, only while open; after a store error the
/// transaction is doomed and commits nothing.
final class PostgresTransaction: StoreTransaction {
    private struct StateKey: Hashable, Comparable {
        var namespace: String
        var key: String
        static func < (a: Self, b: Self) -> Bool { (a.namespace, a.key) < (b.namespace, b.key) }
    }

    private enum StateWrite {
        case set([UInt8])
        case delete
    }

    private enum TimerWrite {
        case schedule(DurableTimer)
        case cancel
    }

    private let connection: PostgresConnection
    private let now: Int64
    /// Tags the outbox rows this transaction writes (``OutboxScope``).
    private let writer: String
    private let lifecycle = TransactionGuard()

    private var pendingInbox: [String: Set<String>] = [:]
    /// Ids that ``processed(group:ids:)`` reported as new: if another transaction records one
    /// of them before this one commits, this transaction's view was stale and it must not commit.
    private var reportedNew: [String: Set<String>] = [:]
    private var pendingState: [StateKey: StateWrite] = [:]
    /// States read ahead, and the writes already flushed: what this transaction sees for the
    /// key (nil: no row). ``pendingState`` goes first.
    private var knownState: [StateKey: [UInt8]?] = [:]
    private var pendingTimers: [String: TimerWrite] = [:]
    private var pendingOutbox: [OutboxMessage] = []

    init(connection: PostgresConnection, now: Int64, writer: String) {
        self.connection = connection
        self.now = now
        self.writer = writer
    }

    /// Sends the buffered writes; the transaction can then be committed. Ends the transaction.
    func prepareCommit() throws {
        try guarded {
            try flushInbox()
            try flushState()
            try flushTimers()
            try flushOutbox()
        }
        lifecycle.end()
    }

    /// Ends the transaction without writing: later calls through a leaked reference throw `.closed`.
    func end() { lifecycle.end() }

    // MARK: Claims

    /// Checks that `claims` are the latest of their partitions and locks them until the commit.
    func hold(_ claims: [PartitionClaim]) throws {
        try guarded {
            var latest: [PartitionClaim: Int64] = [:]
            for (group, held) in Dictionary(grouping: claims.lockOrder, by: \.group).sorted(by: { $0.key < $1.key }) {
                let rows = try connection.execute(
                    PostgresStatements.claimsHeld,
                    [.text(group), .textArray(held.map(\.topic)), .int8Array(held.map { Int64($0.partition) })])
                for row in 0..<rows.rowCount {
                    let key = PartitionClaim(group: group, topic: rows.text(row, 0), partition: Int32(rows.int64(row, 1)), epoch: 0)
                    latest[key] = rows.int64(row, 2)
                }
            }
            try claims.verify { claim in
                latest[PartitionClaim(group: claim.group, topic: claim.topic, partition: claim.partition, epoch: 0)]
            }
        }
    }

    // MARK: Inbox

    func processed(group: String, ids: [String]) throws -> Set<String> {
        try guarded {
            let buffered = pendingInbox[group] ?? []
            var seen = Set(ids.filter(buffered.contains))
            let unknown = ids.filter { !buffered.contains($0) }
            guard !unknown.isEmpty else { return seen }
            let rows = try connection.execute(PostgresStatements.processedIDs, [.text(group), .textArray(unknown)])
            var found = Set<String>()
            for row in 0..<rows.rowCount { found.insert(rows.text(row, 0)) }
            seen.formUnion(found)
            reportedNew[group, default: []].formUnion(unknown.filter { !found.contains($0) })
            return seen
        }
    }

    func markProcessed(group: String, ids: [String]) throws {
        try guarded {
            guard !ids.isEmpty else { return }
            pendingInbox[group, default: []].formUnion(ids)
        }
    }

    private func flushInbox() throws {
        for group in pendingInbox.keys.sorted() {
            let ids = pendingInbox[group, default: []].sorted()
            let rows = try connection.execute(
                PostgresStatements.markProcessed, [.text(group), .textArray(ids), .int8(now)])
            guard rows.rowCount < ids.count, let reported = reportedNew[group] else { continue }
            var inserted = Set<String>()
            for row in 0..<rows.rowCount { inserted.insert(rows.text(row, 0)) }
            let stale = ids.filter { reported.contains($0) && !inserted.contains($0) }.count
            if stale > 0 {
                throw StoreError(
                    code: .conflict,
                    message: "\(stale) inbox entries were recorded by a concurrent transaction after they were read")
            }
        }
        pendingInbox.removeAll()
    }

    // MARK: State

    func state(namespace: String, key: String) throws -> [UInt8]? {
        try guarded {
            switch pendingState[StateKey(namespace: namespace, key: key)] {
            case .set(let value): return value
            case .delete: return nil
            case nil:
                if let known = knownState[StateKey(namespace: namespace, key: key)] { return known }
                let rows = try connection.execute(PostgresStatements.stateRead, [.text(namespace), .text(key)])
                return rows.rowCount > 0 ? rows.bytes(0, 0) : nil
            }
        }
    }

    func prefetchState(namespace: String, keys: [String]) throws {
        try guarded {
            var wanted = Set<String>()
            for key in keys {
                let stateKey = StateKey(namespace: namespace, key: key)
                if pendingState[stateKey] == nil && knownState[stateKey] == nil { wanted.insert(key) }
            }
            guard !wanted.isEmpty else { return }
            let rows = try connection.execute(PostgresStatements.stateReadMany, [.text(namespace), .textArray(wanted.sorted())])
            for key in wanted { knownState[StateKey(namespace: namespace, key: key)] = .some(nil) }
            for row in 0..<rows.rowCount {
                knownState[StateKey(namespace: namespace, key: rows.text(row, 0))] = .some(rows.bytes(row, 1))
            }
        }
    }

    func setState(namespace: String, key: String, value: [UInt8]) throws {
        try guarded { pendingState[StateKey(namespace: namespace, key: key)] = .set(value) }
    }

    func deleteState(namespace: String, key: String) throws {
        try guarded { pendingState[StateKey(namespace: namespace, key: key)] = .delete }
    }

    func stateKeys(namespace: String, prefix: String) throws -> [String] {
        try guarded {
            try flushState()
            let range = KeyPrefixRange(prefix: prefix)
            let rows =
                if let upper = range.upper {
                    try connection.execute(
                        PostgresStatements.stateKeysBetween, [.text(namespace), .text(range.lower), .text(upper)])
                } else {
                    try connection.execute(PostgresStatements.stateKeysFrom, [.text(namespace), .text(range.lower)])
                }
            return (0..<rows.rowCount).map { rows.text($0, 0) }
        }
    }

    private func flushState() throws {
        guard !pendingState.isEmpty else { return }
        var setNamespaces: [String] = [], setKeys: [String] = [], values: [[UInt8]?] = []
        var deleteNamespaces: [String] = [], deleteKeys: [String] = []
        for key in pendingState.keys.sorted() {
            switch pendingState[key]! {
            case .set(let value):
                setNamespaces.append(key.namespace)
                setKeys.append(key.key)
                values.append(value)
                if knownState[key] != nil { knownState[key] = .some(value) }
            case .delete:
                deleteNamespaces.append(key.namespace)
                deleteKeys.append(key.key)
                if knownState[key] != nil { knownState[key] = .some(nil) }
            }
        }
        if !deleteKeys.isEmpty {
            try connection.execute(PostgresStatements.stateDelete, [.textArray(deleteNamespaces), .textArray(deleteKeys)])
        }
        if !setKeys.isEmpty {
            try connection.execute(
                PostgresStatements.stateUpsert,
                [.textArray(setNamespaces), .textArray(setKeys), .byteaArray(values), .int8(now)])
        }
        pendingState.removeAll()
    }

    // MARK: Outbox

    func enqueue(_ messages: [OutboxMessage]) throws {
        try guarded { pendingOutbox.append(contentsOf: messages) }
    }

    private func flushOutbox() throws {
        guard !pendingOutbox.isEmpty else { return }
        let claims = pendingOutbox.map(\.claimColumns)
        try connection.execute(
            PostgresStatements.outboxInsert,
            [
                .textArray(pendingOutbox.map(\.topic)), .byteaArray(pendingOutbox.map(\.key)),
                .byteaArray(pendingOutbox.map(\.value)),
                .byteaArray(pendingOutbox.map { OutboxHeaderCoding.encode($0.headers) }), .int8(now), .text(writer),
                .textArray(claims.map(\.group)), .textArray(claims.map(\.topic)), .int8Array(claims.map(\.partition)),
                .int8Array(claims.map(\.epoch)),
            ])
        pendingOutbox.removeAll()
    }

    // MARK: Timers

    func schedule(_ timer: DurableTimer) throws {
        try guarded { pendingTimers[timer.key] = .schedule(timer) }
    }

    func cancelTimer(key: String) throws {
        try guarded { pendingTimers[key] = .cancel }
    }

    func dueTimers(owner: String?, now: Int64, limit: Int) throws -> [DurableTimer] {
        try guarded {
            try flushTimers()
            guard limit > 0 else { return [] }
            let rows = try connection.execute(
                PostgresStatements.dueTimers, [.int8(now), .int8(Int64(limit)), .text(owner ?? "")])
            return (0..<rows.rowCount).map { row in
                DurableTimer(
                    key: rows.text(row, 0), owner: rows.text(row, 1), fireAt: rows.int64(row, 2), payload: rows.bytes(row, 3))
            }
        }
    }

    private func flushTimers() throws {
        guard !pendingTimers.isEmpty else { return }
        var scheduled: [DurableTimer] = []
        var cancelled: [String] = []
        for key in pendingTimers.keys.sorted() {
            switch pendingTimers[key]! {
            case .schedule(let timer): scheduled.append(timer)
            case .cancel: cancelled.append(key)
            }
        }
        if !cancelled.isEmpty {
            try connection.execute(PostgresStatements.timerDelete, [.textArray(cancelled)])
        }
        if !scheduled.isEmpty {
            try connection.execute(
                PostgresStatements.timerUpsert,
                [
                    .textArray(scheduled.map(\.key)), .textArray(scheduled.map(\.owner)),
                    .int8Array(scheduled.map(\.fireAt)), .byteaArray(scheduled.map(\.payload)),
                ])
        }
        pendingTimers.removeAll()
    }

    // MARK: Counters

    func setCapacity(counter: String, capacity: Int) throws {
        try guarded {
            _ = try connection.execute(PostgresStatements.counterCapacity, [.text(counter), .int8(Int64(capacity))])
        }
    }

    func reserve(counter: String, amount: Int) throws -> Bool {
        try guarded {
            try CounterAmount.check(amount)
            let result = try connection.execute(PostgresStatements.counterReserve, [.text(counter), .int8(Int64(amount))])
            return result.rowsAffected == 1
        }
    }

    func release(counter: String, amount: Int) throws {
        try guarded {
            try CounterAmount.check(amount)
            _ = try connection.execute(PostgresStatements.counterRelease, [.text(counter), .int8(Int64(amount))])
        }
    }

    func counter(_ name: String) throws -> (used: Int, capacity: Int)? {
        try guarded {
            let rows = try connection.execute(PostgresStatements.counterRead, [.text(name)])
            guard rows.rowCount > 0 else { return nil }
            return (used: Int(rows.int64(0, 0)), capacity: Int(rows.int64(0, 1)))
        }
    }

    // MARK: -

    private func guarded<R>(_ body: () throws -> R) throws -> R {
        try lifecycle.run(body)
    }
}
