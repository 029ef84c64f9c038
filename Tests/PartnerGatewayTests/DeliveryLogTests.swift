import Foundation
import Logging
import PartnerGateway
import Testing
import TransitStore
import TransitTestSupport

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
}
