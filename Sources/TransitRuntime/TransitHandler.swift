import TransitKafka
import TransitStore

/// The domain logic a ``Worker`` runs: decode a record, then handle it inside the batch's store
/// transaction, writing state and emitting messages through the ``HandlerContext``.
///
/// Contract: ``handle(_:transaction:context:)`` reads and decides before it writes. When it throws a
/// ``HandlerFailure`` it must not have written anything (the record then goes to the dead-letter
/// topic and the batch goes on). Any other error is treated as a store or program failure and the
/// batch is retried.
public protocol TransitHandler: Sendable {
    associatedtype Input: Sendable

    /// Worker name; the consumer group is `trialtransit.<name>` and it owns timers named after it.
    var name: String { get }
    /// Topics the worker consumes.
    var inputTopics: [String] { get }
    /// Topics the worker publishes to that are known in advance (RPC replies go to the caller's
    /// topic); the worker looks up their partitions at start. Default: none.
    var outputTopics: [String] { get }

    /// Decodes one record. Throws ``HandlerFailure`` for a record that can never be handled
    /// (it goes to the dead-letter topic with the failure's code and reason).
    func decode(_ message: KafkaConsumerMessage) throws(HandlerFailure) -> DecodedRecord<Input>

    /// Handles one new record (its event id was not processed by this group before).
    func handle(_ record: DecodedRecord<Input>, transaction: any StoreTransaction, context: inout HandlerContext)
        throws

    /// Handles a due timer owned by this worker. The runtime deletes the timer in the same transaction.
    func fire(_ timer: DurableTimer, transaction: any StoreTransaction, context: inout HandlerContext) throws

    /// The states ``handle(_:transaction:context:)`` is going to read for `record`: the worker
    /// reads those of a whole batch ahead with one ``StoreTransaction/prefetchState(namespace:keys:)``
    /// per namespace (on PostgreSQL one round trip instead of one per record). Only a hint: other
    /// reads work as before. Default: none.
    ///
    /// The read-ahead runs before the handler, so before any lock the handler takes: never name a
    /// state the handler reads only after locking it (e.g. an aggregate lock written through
    /// `setCapacity` on PostgreSQL, as the trial-access worker does), since the handler would see
    /// the value from before the lock.
    func stateReads(for record: DecodedRecord<Input>) -> [StateRead]
}

extension TransitHandler {
    public var outputTopics: [String] { [] }

    public func stateReads(for record: DecodedRecord<Input>) -> [StateRead] { [] }

    public func fire(_ timer: DurableTimer, transaction: any StoreTransaction, context: inout HandlerContext) throws {}
}

/// A decoded record and its dedupe key.
public struct DecodedRecord<Input: Sendable>: Sendable {
    /// The event id from the envelope (or the RPC correlation id): the dedupe key.
    public var eventID: String
    public var input: Input

    public init(eventID: String, input: Input) {
        self.eventID = eventID
        self.input = input
    }
}

/// A state a handler reads: its namespace and key (``TransitHandler/stateReads(for:)``).
public struct StateRead: Sendable, Hashable {
    public var namespace: String
    public var key: String

    public init(namespace: String, key: String) {
        self.namespace = namespace
        self.key = key
    }
}

/// A record that can never succeed: it goes to the dead-letter topic with this code and reason.
public struct HandlerFailure: Error, Sendable, CustomStringConvertible {
    /// Machine code for `dlq-error-code`, e.g. `DECODE_FAILED`, `NO_BODY`, `INVALID`, `UNKNOWN_REFERENCE`.
    public var code: String
    /// Human-readable reason; never personal data.
    public var reason: String
    /// Proto field path of the offending field, where one applies (e.g. `event_id`); it goes to the
    /// sender in `InputRejected.field_path`.
    public var fieldPath: String?

    public init(code: String, reason: String, fieldPath: String? = nil) {
        self.code = code
        self.reason = reason
        self.fieldPath = fieldPath
    }

    public static func decodeFailed(_ reason: String) -> HandlerFailure { HandlerFailure(code: "DECODE_FAILED", reason: reason) }
    public static func invalid(_ reason: String, field: String? = nil) -> HandlerFailure {
        HandlerFailure(code: "INVALID", reason: reason, fieldPath: field)
    }
    public static func unknownReference(_ reason: String) -> HandlerFailure {
        HandlerFailure(code: "UNKNOWN_REFERENCE", reason: reason)
    }

    public var description: String { "\(code): \(reason)" }
}
