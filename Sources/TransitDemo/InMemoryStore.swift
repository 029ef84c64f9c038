import Synchronization
import TransitRPC
import TransitStore
import TransitTime

/// A ``TransitStore`` kept in memory: nothing survives the process, and a transaction whose body
/// throws is **not** rolled back (writes are made in place, so that a large inbox is never copied).
/// For benchmarks (`--store none`) only; effectively-once needs a durable store.
public final class InMemoryStore: TransitStore {
    private let data = Mutex(MemoryData())

    public init() {}

    public func migrate() async throws {}

    public func transaction<R: Sendable>(
        holding claims: [PartitionClaim], _ body: @escaping @Sendable (any StoreTransaction) throws -> R
    ) async throws -> R {
        try data.withLock { data in
            let fenced = claims.filter { data.claims[Self.partition($0)] != $0.epoch }
            if !fenced.isEmpty {
                throw StoreError(code: .fenced, message: "partitions claimed again: \(fenced)", fencedClaims: fenced)
            }
            // Move the data into the transaction (unique, so it is mutated without copying) and back.
            let transaction = MemoryTransaction(data: data)
            data = MemoryData()
            defer { data = transaction.data }
            return try body(transaction)
        }
    }

    public func claim(group: String, topic: String, partition: Int32) async throws -> PartitionClaim {
        data.withLock { data in
            var claim = PartitionClaim(group: group, topic: topic, partition: partition, epoch: 0)
            claim.epoch = data.claims[Self.partition(claim), default: 0] + 1
            data.claims[Self.partition(claim)] = claim.epoch
            return claim
        }
    }

    /// The key of a claim's partition (epoch 0).
    private static func partition(_ claim: PartitionClaim) -> PartitionClaim {
        PartitionClaim(group: claim.group, topic: claim.topic, partition: claim.partition, epoch: 0)
    }

    /// One process, one writer: every scope reads every row.
    public func pendingOutbox(after id: Int64, limit: Int, scope: OutboxScope) async throws -> [OutboxMessage] {
        data.withLock { Array($0.outbox.lazy.filter { $0.id > id }.prefix(limit)) }
    }

    public func markPublished(_ ids: [Int64]) async throws {
        let done = Set(ids)
        data.withLock { $0.outbox.removeAll { done.contains($0.id) } }
    }

    public func replaceOutbox(_ id: Int64, with replacement: OutboxMessage) async throws {
        data.withLock { data in
            guard let index = data.outbox.firstIndex(where: { $0.id == id }) else { return }
            data.outbox.remove(at: index)
            var replacement = replacement
            replacement.id = data.nextOutboxID
            data.nextOutboxID += 1
            data.outbox.append(replacement)
        }
    }

    public func buryOutbox(_ id: Int64, reason: String, failedAt: Int64) async throws {
        data.withLock { data in
            guard let index = data.outbox.firstIndex(where: { $0.id == id }) else { return }
            let message = data.outbox.remove(at: index)
            data.deadOutbox.append(DeadOutboxEntry(id: Int64(data.deadOutbox.count + 1), message: message, reason: reason, failedAt: failedAt))
        }
    }

    public func deadOutbox(limit: Int) async throws -> [DeadOutboxEntry] {
        data.withLock { Array($0.deadOutbox.prefix(max(0, limit))) }
    }

    public func pruneInbox(group: String, processedBefore cutoff: Int64, after cursor: String, limit: Int) async throws
        -> InboxSweep
    {
        data.withLock { data in
            Self.sweep(data.inbox, head: group + "\u{0}", before: cutoff, after: cursor, limit: limit) {
                data.inbox[$0] = nil
            }
        }
    }

    public func pruneState(namespace: String, updatedBefore cutoff: Int64, after cursor: String, limit: Int) async throws
        -> InboxSweep
    {
        data.withLock { data in
            Self.sweep(data.stateUpdatedAt, head: namespace + "\u{0}", before: cutoff, after: cursor, limit: limit) {
                data.state[$0] = nil
                data.stateUpdatedAt[$0] = nil
            }
        }
    }

    /// One step of a sweep over the rows whose key starts with `head` (`times`: their write time):
    /// looks at up to `limit` keys after `cursor` in byte order and `delete`s those written before
    /// `cutoff`, as the SQL stores do.
    private static func sweep(
        _ times: [String: Int64], head: String, before cutoff: Int64, after cursor: String, limit: Int,
        delete: (String) -> Void
    ) -> InboxSweep {
        let keys = times.keys.filter { $0.hasPrefix(head) }.map { String($0.dropFirst(head.count)) }
        let window = keys.filter { cursor.utf8.lexicographicallyPrecedes($0.utf8) }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.prefix(max(0, limit))
        var deleted = 0
        for key in window where times[head + key, default: .max] < cutoff {
            delete(head + key)
            deleted += 1
        }
        return InboxSweep(deleted: deleted, next: window.count < limit ? nil : window.last)
    }

    public func close() async throws {}
}

struct MemoryData: Sendable {
    /// Group and event id -> when it was processed (unix ms).
    var inbox: [String: Int64] = [:]
    var state: [String: [UInt8]] = [:]
    /// Namespace and key -> when the state was last written (unix ms).
    var stateUpdatedAt: [String: Int64] = [:]
    var outbox: [OutboxMessage] = []
    var nextOutboxID: Int64 = 1
    var deadOutbox: [DeadOutboxEntry] = []
    var timers: [String: DurableTimer] = [:]
    var counters: [String: (used: Int, capacity: Int)] = [:]
    /// Latest epoch by partition (a claim with epoch 0).
    var claims: [PartitionClaim: Int64] = [:]
}

/// Holds the store's data for the length of one transaction.
final class MemoryTransaction: StoreTransaction {
    var data: MemoryData

    init(data: MemoryData) {
        self.data = data
    }

    func processed(group: String, ids: [String]) throws -> Set<String> {
        Set(ids.filter { data.inbox[group + "\u{0}" + $0] != nil })
    }

    func markProcessed(group: String, ids: [String]) throws {
        let now = SystemWallClock().nowMilliseconds()
        for id in ids where data.inbox[group + "\u{0}" + id] == nil { data.inbox[group + "\u{0}" + id] = now }
    }

    func state(namespace: String, key: String) throws -> [UInt8]? { data.state[namespace + "\u{0}" + key] }

    func setState(namespace: String, key: String, value: [UInt8]) throws {
        data.state[namespace + "\u{0}" + key] = value
        data.stateUpdatedAt[namespace + "\u{0}" + key] = SystemWallClock().nowMilliseconds()
    }

    func deleteState(namespace: String, key: String) throws {
        data.state[namespace + "\u{0}" + key] = nil
        data.stateUpdatedAt[namespace + "\u{0}" + key] = nil
    }

    func stateKeys(namespace: String, prefix: String) throws -> [String] {
        let head = namespace + "\u{0}"
        return data.state.keys.filter { $0.hasPrefix(head + prefix) }.map { String($0.dropFirst(head.count)) }.sorted()
    }

    func enqueue(_ messages: [OutboxMessage]) throws {
        for var message in messages {
            message.id = data.nextOutboxID
            data.nextOutboxID += 1
            data.outbox.append(message)
        }
    }

    func schedule(_ timer: DurableTimer) throws { data.timers[timer.key] = timer }

    func cancelTimer(key: String) throws { data.timers[key] = nil }

    func dueTimers(owner: String?, now: Int64, limit: Int) throws -> [DurableTimer] {
        Array(data.timers.values.filter { $0.fireAt <= now && (owner == nil || $0.owner == owner) }.sorted { ($0.fireAt, $0.key) < ($1.fireAt, $1.key) }.prefix(limit))
    }

    func setCapacity(counter: String, capacity: Int) throws {
        data.counters[counter] = (data.counters[counter]?.used ?? 0, capacity)
    }

    func reserve(counter: String, amount: Int) throws -> Bool {
        guard let current = data.counters[counter], current.used + amount <= current.capacity else { return false }
        data.counters[counter] = (current.used + amount, current.capacity)
        return true
    }

    func release(counter: String, amount: Int) throws {
        guard let current = data.counters[counter] else { return }
        data.counters[counter] = (max(0, current.used - amount), current.capacity)
    }

    func counter(_ name: String) throws -> (used: Int, capacity: Int)? { data.counters[name] }
}
