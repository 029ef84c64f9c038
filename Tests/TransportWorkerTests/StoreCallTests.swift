import Foundation
import Logging
import Testing
import TransitRPC
@testable import TransitRuntime
import TransitStore
import TransitWire
import TransportBooking
import TransportWorker
import TransitTime

/// How many store calls one input costs (the worker's time per input is mostly these and the
/// state coding): a booking is read once, its index row written once, and no patient lock is taken
/// on SQLite (whose transactions already run one at a time).
@Suite("Transport worker: store calls per input")
struct StoreCallTests {
    static let partner = "metro-taxi"

    @Test(arguments: [false, true])
    func storeCallsOfOneBooking(patientLocks: Bool) async throws {
        let path = TransportTestSupport.sqlitePath()
        defer { TransportTestSupport.removeSQLite(path) }
        let store = try SQLiteStore(path: path, logger: TransportTestSupport.logger)
        try await store.migrate()
        let topics = TransitTopics(prefix: "calls.")
        let handler = TransportHandler(
            partners: try TransportTestSupport.directory([TransportTestSupport.partnerJSON(id: Self.partner)]),
            bookingIDs: TransportTestSupport.bookingIDs, topics: topics, logger: TransportTestSupport.logger, patientLocks: patientLocks)
        let patient = "p-calls"
        let bookingID = TransportTestSupport.bookingIDs.derive(patientRef: patient, visitID: "v-1")
        let request = TransportTestSupport.travelRequested(patient: patient, visitID: "v-1")
        let need = TransportTestSupport.travelNeeded(
            patient: patient, visitID: "v-1", at: TransportTestSupport.appointment())
        let accepted = TransportTestSupport.update(
            partner: Self.partner, booking: bookingID, status: .accepted, sequence: 1)
        let lock = patientLocks ? 1 : 0
        // The erasure tombstone check of a patient input (ErasureTombstones): one read of the
        // store's salt, which does not exist before the first erasure (with a salt: one more read).
        let tombstone = 1

        let travel = try await Self.handle(
            TransportInput.travel(request), eventID: request.eventId, handler, store, topics)
        #expect(travel.calls == Self.nonZero(["state": 1 + tombstone, "setState": 1, "setCapacity": lock]))
        #expect(travel.outputs == 0)

        let booked = try await Self.handle(
            TransportInput.trialAccess(need), eventID: need.eventId, handler, store, topics)
        // Reads: intake, planned visit, the visit's revision check (TransportHandler+VisitRevision), the
        // booking under the current key and under the unkeyed id of earlier versions (docs/SECURITY.md,
        // "Booking ids"). Writes: planned visit, intake, booking, index.
        #expect(booked.calls == Self.nonZero(["state": 5 + tombstone, "setState": 4, "schedule": 1, "setCapacity": lock]))
        #expect(booked.outputs == 5)  // RideRequested, RideOffered, RideOffer, two audit records

        let confirmed = try await Self.handle(
            TransportInput.partnerUpdate(partnerID: Self.partner, accepted), eventID: accepted.eventId, handler, store,
            topics)
        // Read by id: read once to learn the patient, then again under its lock.
        #expect(
            confirmed.calls == Self.nonZero(["state": 1 + lock, "setState": 1, "cancelTimer": 1, "setCapacity": lock]))
        #expect(confirmed.outputs == 3)  // RideConfirmed, RideConfirmation to the partner, audit record
        try await store.close()
    }

    static func nonZero(_ calls: [String: Int]) -> [String: Int] { calls.filter { $0.value > 0 } }

    /// Runs one input through the handler in its own transaction; the calls it made (zero counts
    /// left out) and its number of outputs.
    static func handle(
        _ input: TransportInput, eventID: String, _ handler: TransportHandler, _ store: SQLiteStore,
        _ topics: TransitTopics
    ) async throws -> (calls: [String: Int], outputs: Int) {
        try await store.transaction { transaction in
            let counting = CountingTransaction(transaction)
            var context = HandlerContext(now: SystemWallClock().nowMilliseconds(), topics: topics, source: nil)
            try handler.handle(DecodedRecord(eventID: eventID, input: input), transaction: counting, context: &context)
            return (counting.calls, context.outputs.count)
        }
    }
}

/// A ``StoreTransaction`` that counts the calls it forwards.
final class CountingTransaction: StoreTransaction {
    let inner: any StoreTransaction
    private(set) var calls: [String: Int] = [:]

    init(_ inner: any StoreTransaction) {
        self.inner = inner
    }

    private func count(_ name: String) { calls[name, default: 0] += 1 }

    func processed(group: String, ids: [String]) throws -> Set<String> {
        count("processed")
        return try inner.processed(group: group, ids: ids)
    }
    func markProcessed(group: String, ids: [String]) throws {
        count("markProcessed")
        try inner.markProcessed(group: group, ids: ids)
    }
    func state(namespace: String, key: String) throws -> [UInt8]? {
        count("state")
        return try inner.state(namespace: namespace, key: key)
    }
    func setState(namespace: String, key: String, value: [UInt8]) throws {
        count("setState")
        try inner.setState(namespace: namespace, key: key, value: value)
    }
    func deleteState(namespace: String, key: String) throws {
        count("deleteState")
        try inner.deleteState(namespace: namespace, key: key)
    }
    func stateKeys(namespace: String, prefix: String) throws -> [String] {
        count("stateKeys")
        return try inner.stateKeys(namespace: namespace, prefix: prefix)
    }
    func enqueue(_ messages: [OutboxMessage]) throws {
        count("enqueue")
        try inner.enqueue(messages)
    }
    func schedule(_ timer: DurableTimer) throws {
        count("schedule")
        try inner.schedule(timer)
    }
    func cancelTimer(key: String) throws {
        count("cancelTimer")
        try inner.cancelTimer(key: key)
    }
    func dueTimers(owner: String?, now: Int64, limit: Int) throws -> [DurableTimer] {
        count("dueTimers")
        return try inner.dueTimers(owner: owner, now: now, limit: limit)
    }
    func setCapacity(counter: String, capacity: Int) throws {
        count("setCapacity")
        try inner.setCapacity(counter: counter, capacity: capacity)
    }
    func reserve(counter: String, amount: Int) throws -> Bool {
        count("reserve")
        return try inner.reserve(counter: counter, amount: amount)
    }
    func release(counter: String, amount: Int) throws {
        count("release")
        try inner.release(counter: counter, amount: amount)
    }
    func counter(_ name: String) throws -> (used: Int, capacity: Int)? {
        count("counter")
        return try inner.counter(name)
    }
}
