import TransitRuntime
import TransitStore
import TransitWire

/// One line of a partner's delivery log: which command, how it ended, after how many attempts.
/// Booking ids and event ids only: never the command's body (a confirmation carries an address).
/// Stored as a `trialtransit.store.v1.StoredDelivery`; `Decodable` only to read entries written as
/// JSON before that (``DeliveryLog``).
public struct DeliveryLogEntry: Decodable, Sendable, Equatable {
    public var deliveryID: String
    /// The `replay-id` of a deliberate re-run (`dlq redrive`, `replay`): logged apart, sent again.
    public var replayID: String?
    public var eventID: String
    public var bookingID: String
    /// `rideOffer`, `rideConfirmation` or `rideCancellation`.
    public var command: String
    /// `topic/partition/offset` of the command.
    public var source: String
    /// `retrying`, `delivered` or `dead-lettered`.
    public var state: String
    public var attempts: Int
    /// The partner's HTTP status when delivered.
    public var httpStatus: Int?
    /// Dead-letter code, or the last failure while retrying.
    public var error: String?
    public var firstAttemptAt: Int64
    public var updatedAt: Int64

    public init(
        deliveryID: String, replayID: String?, eventID: String, bookingID: String, command: String, source: String,
        state: String, attempts: Int, httpStatus: Int?, error: String?, firstAttemptAt: Int64, updatedAt: Int64
    ) {
        self.deliveryID = deliveryID
        self.replayID = replayID
        self.eventID = eventID
        self.bookingID = bookingID
        self.command = command
        self.source = source
        self.state = state
        self.attempts = attempts
        self.httpStatus = httpStatus
        self.error = error
        self.firstAttemptAt = firstAttemptAt
        self.updatedAt = updatedAt
    }

    /// True once delivered or dead-lettered: a command read again is not sent again.
    public var isSettled: Bool { state == "delivered" || state == "dead-lettered" }

    /// The log's key: the delivery id, and a re-run's replay id after `#replay:`.
    public var key: String { Self.key(deliveryID: deliveryID, replayID: replayID) }

    /// The log's key of a delivery id and an optional replay id.
    public static func key(deliveryID: String, replayID: String?) -> String {
        replayID.map { "\(deliveryID)#replay:\($0)" } ?? deliveryID
    }
}

/// The per-partner delivery log, in the gateway's store (the `state` table of STORES.md, namespace
/// `partner-gateway.deliveries.<partner id>`, key = ``DeliveryLogEntry/key``): no migration of its own, the
/// same on SQLite and PostgreSQL. Entries are `StoredDelivery` protobufs; entries written as JSON
/// before that are read, never written (``StoredState``).
public struct DeliveryLog: Sendable {
    private let store: any TransitStore

    public init(store: any TransitStore) {
        self.store = store
    }

    /// The namespace of one partner's log.
    public static func namespace(partnerID: String) -> String { "partner-gateway.deliveries.\(partnerID)" }

    /// The entry under `key` (``DeliveryLogEntry/key(deliveryID:replayID:)``), if any.
    public func entry(partnerID: String, key: String) async throws -> DeliveryLogEntry? {
        let bytes = try await store.transaction { try $0.state(namespace: Self.namespace(partnerID: partnerID), key: key) }
        return try bytes.map(Self.decode)
    }

    /// Writes (or replaces) an entry.
    public func record(partnerID: String, _ entry: DeliveryLogEntry) async throws {
        let bytes = Self.encode(entry)
        try await store.transaction {
            try $0.setState(namespace: Self.namespace(partnerID: partnerID), key: entry.key, value: bytes)
        }
    }

    /// Every entry of a partner's log, by delivery id.
    public func entries(partnerID: String) async throws -> [DeliveryLogEntry] {
        let namespace = Self.namespace(partnerID: partnerID)
        let values = try await store.transaction { transaction in
            try transaction.stateKeys(namespace: namespace, prefix: "").compactMap {
                try transaction.state(namespace: namespace, key: $0)
            }
        }
        return try values.map(Self.decode)
    }

    /// Deletes a partner's entries last written before `cutoff` (unix ms, by the store's clock),
    /// sweeping the whole log 10,000 rows a transaction; returns how many it deleted. A command
    /// read again after its entry went is sent again: keep entries longer than the partner topics
    /// keep records.
    @discardableResult
    public func prune(partnerID: String, updatedBefore cutoff: Int64) async throws -> Int {
        let namespace = Self.namespace(partnerID: partnerID)
        var (cursor, deleted) = ("", 0)
        while true {
            let step = try await store.pruneState(namespace: namespace, updatedBefore: cutoff, after: cursor, limit: 10_000)
            deleted += step.deleted
            guard let next = step.next else { return deleted }
            cursor = next
        }
    }

    /// The stored form of an entry: a `trialtransit.store.v1.StoredDelivery` (``StoredState``).
    static func encode(_ entry: DeliveryLogEntry) -> [UInt8] {
        StoredState.encode(
            StoredDelivery(
                deliveryId: entry.deliveryID, replayId: entry.replayID, eventId: entry.eventID,
                bookingId: entry.bookingID, command: entry.command, source: entry.source, state: entry.state,
                attempts: UInt32(clamping: entry.attempts), httpStatus: entry.httpStatus.map { Int32(clamping: $0) },
                error: entry.error, firstAttemptAt: entry.firstAttemptAt, updatedAt: entry.updatedAt))
    }

    /// Reads a stored entry: protobuf, or JSON written before it (``StoredState/decode(_:as:_:)``).
    static func decode(_ bytes: [UInt8]) throws -> DeliveryLogEntry {
        try StoredState.decode(bytes, as: StoredDelivery.self) { stored in
            DeliveryLogEntry(
                deliveryID: stored.deliveryId, replayID: stored.replayId, eventID: stored.eventId,
                bookingID: stored.bookingId, command: stored.command, source: stored.source, state: stored.state,
                attempts: Int(stored.attempts), httpStatus: stored.httpStatus.map(Int.init), error: stored.error,
                firstAttemptAt: stored.firstAttemptAt, updatedAt: stored.updatedAt)
        }
    }
}
