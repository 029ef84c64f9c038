import Foundation
import Logging
import PartnerGateway
import Testing
import TransitStore
import TransitTestSupport
import TransitTime

/// The delivery log on a real SQLite store: settled entries are found again (a command read again
/// is not re-sent), a deliberate re-run is logged apart, partners do not see each other's log.
@Suite struct DeliveryLogTests {
    func entry(_ deliveryID: String, replayID: String? = nil, state: String) -> DeliveryLogEntry {
        DeliveryLogEntry(
            deliveryID: deliveryID, replayID: replayID, eventID: "e-\(deliveryID)", bookingID: "bk-1", command: "rideOffer",
            source: "t/0/1", state: state, attempts: 2, httpStatus: state == "delivered" ? 200 : nil, error: nil,
            firstAttemptAt: 1, updatedAt: 2)
    }

    @Test func entriesAreKeptPerPartnerAndReRunsApart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(uniqueName("delivery-log")).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteStore(path: path, logger: Logger(label: "test"))
        try await store.migrate()
        let log = DeliveryLog(store: store)
        let id = PartnerOutbound.deliveryID(partnerID: "wh-a", eventID: "evt-1")
        #expect(id == PartnerOutbound.deliveryID(partnerID: "wh-a", eventID: "evt-1"))
        #expect(id != PartnerOutbound.deliveryID(partnerID: "wh-b", eventID: "evt-1"))

        try await log.record(partnerID: "wh-a", entry(id, state: "dead-lettered"))
        let found = try await log.entry(partnerID: "wh-a", key: id)
        #expect(found == entry(id, state: "dead-lettered"))
        #expect(found?.isSettled == true)
        #expect(try await log.entry(partnerID: "wh-b", key: id) == nil)

        // A redrive carries a replay id: not settled yet, so it is sent again under the same delivery id.
        let rerun = DeliveryLogEntry.key(deliveryID: id, replayID: "redrive-7")
        #expect(try await log.entry(partnerID: "wh-a", key: rerun) == nil)
        try await log.record(partnerID: "wh-a", entry(id, replayID: "redrive-7", state: "delivered"))
        #expect(try await log.entry(partnerID: "wh-a", key: rerun)?.state == "delivered")
        #expect(try await log.entries(partnerID: "wh-a").map(\.state).sorted() == ["dead-lettered", "delivered"])
        try await store.close()
    }

    /// A log written before the protobuf format holds JSON entries: they are read, and the next
    /// write of an entry replaces it with protobuf.
    @Test func anOldJSONLogIsReadAndRewrittenAsProtobuf() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(uniqueName("delivery-log-json")).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try SQLiteStore(path: path, logger: Logger(label: "test"))
        try await store.migrate()
        let namespace = DeliveryLog.namespace(partnerID: "wh-a")
        // As the JSON writer stored them: a settled entry, and a re-run's still retrying (no status, no error).
        let settled = """
            {"attempts":2,"bookingID":"bk-1","command":"rideOffer","deliveryID":"dlv-1","error":"HTTP_410: gone",\
            "eventID":"e-dlv-1","firstAttemptAt":1,"source":"t\\/0\\/1","state":"dead-lettered","updatedAt":2}
            """
        let retrying = """
            {"attempts":1,"bookingID":"bk-1","command":"rideOffer","deliveryID":"dlv-1","eventID":"e-dlv-1",\
            "firstAttemptAt":3,"replayID":"redrive-7","source":"t\\/0\\/9","state":"retrying","updatedAt":4}
            """
        try await store.transaction {
            try $0.setState(namespace: namespace, key: "dlv-1", value: Array(settled.utf8))
            try $0.setState(namespace: namespace, key: "dlv-1#replay:redrive-7", value: Array(retrying.utf8))
        }
        let log = DeliveryLog(store: store)
        var expected = entry("dlv-1", state: "dead-lettered")
        expected.error = "HTTP_410: gone"
        #expect(try await log.entry(partnerID: "wh-a", key: "dlv-1") == expected)
        let rerun = try #require(try await log.entry(partnerID: "wh-a", key: "dlv-1#replay:redrive-7"))
        #expect(rerun.replayID == "redrive-7" && rerun.state == "retrying" && rerun.httpStatus == nil && rerun.source == "t/0/9")
        #expect(try await log.entries(partnerID: "wh-a").count == 2)

        var delivered = rerun
        delivered.state = "delivered"
        delivered.httpStatus = 200
        try await log.record(partnerID: "wh-a", delivered)
        let key = delivered.key
        let stored = try #require(try await store.transaction { try $0.state(namespace: namespace, key: key) })
        #expect(stored.first != UInt8(ascii: "{"))
        #expect(try await log.entry(partnerID: "wh-a", key: delivered.key) == delivered)
        try await store.close()
    }

    /// Pruning deletes the entries last written before the cutoff, of that partner only.
    @Test func pruningDeletesEntriesLastWrittenBeforeTheCutoff() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(uniqueName("delivery-log-prune")).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clock = ManualClock()
        let store = try SQLiteStore(path: path, logger: Logger(label: "test"), clock: clock)
        try await store.migrate()
        let log = DeliveryLog(store: store)
        try await log.record(partnerID: "wh-a", entry("old", state: "delivered"))
        try await log.record(partnerID: "wh-b", entry("old", state: "delivered"))
        clock.advance(by: .seconds(31 * 86_400))
        try await log.record(partnerID: "wh-a", entry("new", state: "delivered"))

        let cutoff = clock.nowMilliseconds() - Duration.seconds(30 * 86_400).milliseconds
        #expect(try await log.prune(partnerID: "wh-a", updatedBefore: cutoff) == 1)
        #expect(try await log.entries(partnerID: "wh-a").map(\.deliveryID) == ["new"])
        #expect(try await log.entries(partnerID: "wh-b").map(\.deliveryID) == ["old"])
        try await store.close()
    }
}
