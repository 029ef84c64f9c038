/// Durable state of the workers: the inbox (processed event ids), domain state, the outbox of
/// messages to publish, durable timers and shared capacity counters, written in one transaction
/// per batch. Implemented by ``SQLiteStore`` (embedded default) and ``PostgresStore`` (shared by
/// several worker processes).
public protocol TransitStore: Sendable {
    /// Creates or upgrades the schema (versioned migrations). Safe to call at every start.
    func migrate() async throws

    /// Runs `body` in one transaction and commits it; rolls back when `body` throws.
    /// Errors of the store itself are ``StoreError`` (``StoreError/isTransient`` tells whether a
    /// retry may succeed). `body` runs on a thread owned by the store and must not block on async work.
    ///
    /// A store error inside `body` dooms the transaction even when `body` catches it: the commit
    /// then rethrows it and nothing is written (PostgreSQL aborts such a transaction anyway, and
    /// both stores behave alike). A store may defer writes to the commit, so a write's error can
    /// surface at a later call or at the commit. The transaction object is valid only inside `body`.
    ///
    /// With `claims`, the transaction first checks that each is still the latest claim of its
    /// partition and holds them until the commit (a claim made meanwhile waits for it); when one is
    /// not, it throws ``StoreError/Code/fenced`` (``StoreError/fencedClaims`` names them) and
    /// writes nothing. A worker passes the claims of its batch's input partitions.
    func transaction<R: Sendable>(
        holding claims: [PartitionClaim], _ body: @escaping @Sendable (any StoreTransaction) throws -> R
    ) async throws -> R

    /// Claims `partition` of `topic` for `group` with this store instance as claimant, one epoch
    /// after the last claim (see ``PartitionClaim``). Waits for transactions holding the previous
    /// claim (bounded by the store's time-outs: a paused holder is cut off).
    func claim(group: String, topic: String, partition: Int32) async throws -> PartitionClaim

    /// Outbox messages not yet marked published whose id is greater than `id`, oldest first
    /// (`after: 0` for all of them), at most `limit`: of every writer or, with
    /// ``OutboxScope/own(orphanedBefore:)``, this store instance's, together with the other
    /// writers' pending rows that precede one of them on its topic and key (whatever their id;
    /// not counted in `limit`).
    func pendingOutbox(after id: Int64, limit: Int, scope: OutboxScope) async throws -> [OutboxMessage]

    /// Marks outbox messages as published (deletes them).
    func markPublished(_ ids: [Int64]) async throws

    /// Replaces the pending outbox row `id`, which can never be published, by `replacement` (its
    /// dead letter), in one transaction; the replacement is appended to the outbox. Nothing
    /// happens when the row is gone already (another relay dealt with it).
    func replaceOutbox(_ id: Int64, with replacement: OutboxMessage) async throws

    /// Moves the pending outbox row `id` into the dead outbox, with why it cannot be published
    /// (not even to the dead-letter topic), in one transaction. Nothing happens when the row is gone.
    func buryOutbox(_ id: Int64, reason: String, failedAt: Int64) async throws

    /// The dead outbox, oldest first: what could be neither published nor dead-lettered.
    func deadOutbox(limit: Int) async throws -> [DeadOutboxEntry]

    /// One step of a sweep over `group`'s inbox in event-id order: looks at up to `limit` rows whose
    /// event id sorts after `cursor` (byte order; "" for the start) and deletes those recorded
    /// before `cutoff` (unix ms). No index on the processing time is needed, so recording an event
    /// costs nothing extra. An event id whose row is gone counts as new again: prune only what
    /// can no longer be delivered (see docs/STORES.md).
    func pruneInbox(group: String, processedBefore cutoff: Int64, after cursor: String, limit: Int) async throws -> InboxSweep

    /// One step of a sweep over the state rows of `namespace` in key order, like
    /// ``pruneInbox(group:processedBefore:after:limit:)``: looks at up to `limit` rows whose key
    /// sorts after `cursor` and deletes those last written before `cutoff` (unix ms). For state
    /// that expires, such as stored RPC answers.
    func pruneState(namespace: String, updatedBefore cutoff: Int64, after cursor: String, limit: Int) async throws
        -> InboxSweep

    /// Closes connections. Further calls throw.
    func close() async throws

    /// True when the store runs write transactions one at a time (so a handler needs no row locks
    /// to keep concurrent read-modify-write cycles apart). Default: false.
    var serializesTransactions: Bool { get }
}

extension TransitStore {
    public var serializesTransactions: Bool { false }

    /// Runs `body` in one transaction and commits it; rolls back when `body` throws (see
    /// ``transaction(holding:_:)``, without claims).
    public func transaction<R: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> R) async throws -> R {
        try await transaction(holding: [], body)
    }

    /// Outbox messages not yet marked published, oldest first.
    public func pendingOutbox(limit: Int) async throws -> [OutboxMessage] {
        try await pendingOutbox(after: 0, limit: limit, scope: .all)
    }

    /// Pending outbox messages of every writer whose id is greater than `id`, oldest first.
    public func pendingOutbox(after id: Int64, limit: Int) async throws -> [OutboxMessage] {
        try await pendingOutbox(after: id, limit: limit, scope: .all)
    }
}

/// Which pending outbox rows a relay reads. Every store instance tags the rows it writes with its
/// own writer id, and rows written while processing an input partition with that partition's
/// claim, so that relays of several processes sharing a store each publish their own rows
/// (instead of all of them publishing every row).
public enum OutboxScope: Sendable, Equatable {
    /// Every pending row (e.g. at start, to publish what a stopped process left behind).
    case all
    /// Rows of the input partitions this store instance claimed last, whoever wrote them (a new
    /// owner publishes its predecessor's rows, oldest first); of rows without a claimed partition
    /// (timers, rows written before claims existed), those this store instance wrote and those
    /// of other writers written before `orphanedBefore` (unix ms): a live writer's relay
    /// publishes its rows within seconds, so those are left by a process that stopped.
    ///
    /// With them, every other pending row with the topic and key of one of them and a lower id,
    /// also below the read's `after` (a process sharing the store wrote for the same key, e.g. one
    /// patient's booking events from two input topics): the relay sends it first, since per key
    /// the ids follow the order of commits (docs/STORES.md, "Order per key across writers"). Its
    /// writer's relay may send it too, a byte-identical copy. Rows without a key have no order.
    case own(orphanedBefore: Int64)
}

/// What a worker can do inside one store transaction.
public protocol StoreTransaction {
    /// Of `ids`, those already recorded in the inbox of `group` (including by this transaction).
    /// If another transaction records an id reported here as new before this one commits, the
    /// commit fails with `.conflict` (two processes racing on one event: the retry sees it done).
    func processed(group: String, ids: [String]) throws -> Set<String>
    /// Records `ids` as processed by `group` (inbox rows). Already recorded ids are ignored.
    func markProcessed(group: String, ids: [String]) throws

    /// The state stored under `namespace`/`key`, if any.
    func state(namespace: String, key: String) throws -> [UInt8]?
    /// Reads the states of `keys` in `namespace` in one go, so that the ``state(namespace:key:)``
    /// calls for them that follow answer without another round trip to a remote store. Only a
    /// hint: the answers are the same with or without it; a store that reads locally ignores it
    /// (the default).
    func prefetchState(namespace: String, keys: [String]) throws
    /// Inserts or replaces the state under `namespace`/`key`.
    func setState(namespace: String, key: String, value: [UInt8]) throws
    /// Deletes the state under `namespace`/`key` (no error when absent).
    func deleteState(namespace: String, key: String) throws
    /// Every key of `namespace` whose key starts with `prefix`, sorted by UTF-8 bytes.
    func stateKeys(namespace: String, prefix: String) throws -> [String]

    /// Adds messages to the outbox; they are published after the transaction commits.
    func enqueue(_ messages: [OutboxMessage]) throws

    /// Inserts or replaces the timer with this key.
    func schedule(_ timer: DurableTimer) throws
    /// Removes the timer with this key (no error when absent).
    func cancelTimer(key: String) throws
    /// Timers of `owner` (of every owner when nil) whose fire time is at or before `now` (unix ms),
    /// earliest first (then by key). A shared store locks the returned timers until the commit and
    /// skips timers another transaction holds, so concurrent processes never get the same timer.
    func dueTimers(owner: String?, now: Int64, limit: Int) throws -> [DurableTimer]

    /// Sets the capacity of a counter (creating it with 0 used when new); `used` is kept.
    func setCapacity(counter: String, capacity: Int) throws
    /// Takes `amount` units of a counter if `used + amount <= capacity`, with one conditional
    /// update (safe when several processes race). Returns false when there is no room or no counter.
    func reserve(counter: String, amount: Int) throws -> Bool
    /// Gives back `amount` units (never below 0). A negative `amount` is a `.constraint` error
    /// here and in ``reserve(counter:amount:)``.
    func release(counter: String, amount: Int) throws
    /// Current usage and capacity, or nil for an unknown counter.
    func counter(_ name: String) throws -> (used: Int, capacity: Int)?
}

extension StoreTransaction {
    public func prefetchState(namespace: String, keys: [String]) throws {}

    /// Due timers of every owner (see ``dueTimers(owner:now:limit:)``).
    public func dueTimers(now: Int64, limit: Int) throws -> [DurableTimer] {
        try dueTimers(owner: nil, now: now, limit: limit)
    }
}

/// What one step of an inbox or state sweep did (``TransitStore/pruneInbox(group:processedBefore:after:limit:)``,
/// ``TransitStore/pruneState(namespace:updatedBefore:after:limit:)``).
public struct InboxSweep: Sendable, Equatable {
    /// Rows deleted.
    public var deleted: Int
    /// The last event id looked at, where the next step goes on; nil when the step reached the end.
    public var next: String?

    public init(deleted: Int, next: String?) {
        self.deleted = deleted
        self.next = next
    }
}

/// An outbox message that could be neither published nor dead-lettered (e.g. larger than any
/// topic accepts), kept in the store's `dead_outbox` table; `trialtransit dlq list --store` shows it.
public struct DeadOutboxEntry: Sendable, Hashable {
    /// Position in the dead outbox.
    public var id: Int64
    /// The message, with the id it had in the outbox.
    public var message: OutboxMessage
    /// Why it could not be published.
    public var reason: String
    /// When it was moved here, unix ms.
    public var failedAt: Int64

    public init(id: Int64, message: OutboxMessage, reason: String, failedAt: Int64) {
        self.id = id
        self.message = message
        self.reason = reason
        self.failedAt = failedAt
    }
}

/// A message waiting in the outbox.
public struct OutboxMessage: Sendable, Hashable {
    /// Assigned by the store when enqueued; 0 before.
    public var id: Int64
    public var topic: String
    public var key: [UInt8]?
    public var value: [UInt8]
    /// Header names and values, in order.
    public var headers: [OutboxHeader]
    /// The input partition, and the claim on it, whose processing wrote the message; nil for
    /// messages of timers and others written outside a partition (see ``OutboxScope``).
    public var source: PartitionClaim?

    public init(
        id: Int64 = 0, topic: String, key: [UInt8]?, value: [UInt8], headers: [OutboxHeader] = [],
        source: PartitionClaim? = nil
    ) {
        self.id = id
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
        self.source = source
    }
}

/// One header of an outbox message.
public struct OutboxHeader: Sendable, Hashable {
    public var name: String
    public var value: [UInt8]

    public init(name: String, value: [UInt8]) {
        self.name = name
        self.value = value
    }
}

/// A timer that survives restarts: it fires once, through the worker's transaction and outbox.
public struct DurableTimer: Sendable, Hashable {
    /// Unique key; scheduling the same key again replaces the timer.
    public var key: String
    /// Which handler owns it (e.g. `trial-access`).
    public var owner: String
    /// When it fires, unix ms.
    public var fireAt: Int64
    /// Handler-defined payload.
    public var payload: [UInt8]

    public init(key: String, owner: String, fireAt: Int64, payload: [UInt8]) {
        self.key = key
        self.owner = owner
        self.fireAt = fireAt
        self.payload = payload
    }
}

/// A store failure.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let rawValue: String
        /// The database could not be reached or the connection broke.
        public static let unavailable = Code(rawValue: "unavailable")
        /// A lock, serialization failure or deadlock: the transaction may succeed when retried.
        public static let conflict = Code(rawValue: "conflict")
        /// A constraint was violated.
        public static let constraint = Code(rawValue: "constraint")
        /// The schema is newer than this program or a migration failed.
        public static let schema = Code(rawValue: "schema")
        /// The store was closed.
        public static let closed = Code(rawValue: "closed")
        /// A partition claim the transaction holds is no longer the latest: another worker took
        /// the partition over (``StoreError/fencedClaims``). Retrying cannot help.
        public static let fenced = Code(rawValue: "fenced")
        /// Anything else.
        public static let other = Code(rawValue: "other")
        public var description: String { rawValue }
    }

    public var code: Code
    /// What failed. Never contains stored values (they may hold personal data).
    public var message: String
    /// With ``Code/fenced``: the claims that are no longer the latest of their partitions.
    public var fencedClaims: [PartitionClaim]

    public init(code: Code, message: String, fencedClaims: [PartitionClaim] = []) {
        self.code = code
        self.message = message
        self.fencedClaims = fencedClaims
    }

    /// True when retrying the same transaction later may succeed.
    public var isTransient: Bool { code == .unavailable || code == .conflict }

    public var description: String { "StoreError(\(code)): \(message)" }
}
