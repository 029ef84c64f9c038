import Foundation
import TransitWire
import TransitStore
import TransitTestSupport
import Testing
import TransportWorker

@Suite("Booking ids: HMAC-SHA-256 with a key id, rotation")
struct BookingIDKeyringTests {
    static func key(_ id: String, _ firstByte: UInt8) throws -> BookingIDKey {
        try BookingIDKey(id: id, secret: (0..<32).map { firstByte &+ UInt8($0) })
    }

    @Test func theIDIsKeyedPerVisitAndCarriesItsKeyID() throws {
        let ring = try BookingIDKeyring(current: Self.key("k1", 0))
        let id = ring.derive(patientRef: "p-001", visitID: "v-1")
        #expect(id == ring.derive(patientRef: "p-001", visitID: "v-1"))
        #expect(id != ring.derive(patientRef: "p-001", visitID: "v-2"))
        #expect(id != ring.derive(patientRef: "p-002", visitID: "v-1"))
        // Length-prefixed input: moving characters between the two parts gives another id.
        #expect(ring.derive(patientRef: "p-1", visitID: "2") != ring.derive(patientRef: "p-12", visitID: ""))
        #expect(!id.contains("p-001") && !id.contains("v-1"))
        #expect(BookingIDKeyring.keyID(of: id) == "k1")
        #expect(id.hasPrefix("bk-k1-") && id.count == "bk-k1-".count + 32)
    }

    @Test func anotherKeyGivesAnotherID() throws {
        let one = try BookingIDKeyring(current: Self.key("k1", 0)).derive(patientRef: "p-001", visitID: "v-1")
        let otherSecret = try BookingIDKeyring(current: Self.key("k1", 1)).derive(patientRef: "p-001", visitID: "v-1")
        let otherID = try BookingIDKeyring(current: Self.key("k2", 0)).derive(patientRef: "p-001", visitID: "v-1")
        #expect(one != otherSecret)
        #expect(one.dropFirst("bk-k1-".count) == otherID.dropFirst("bk-k2-".count))  // same secret, other label
        #expect(BookingIDKeyring.keyID(of: otherID) == "k2")
        let generated = try BookingIDKeyring(current: .generate(id: "k1")).derive(patientRef: "p-001", visitID: "v-1")
        #expect(generated != one)
    }

    /// The same HMAC from another language: Python's `hmac.new(bytes(range(32)),
    /// b'trialtransit.booking.v1\n5:p-001\nv-1', 'sha256').hexdigest()[:32]`.
    @Test func theIDIsReproducibleOutsideSwift() throws {
        let ring = try BookingIDKeyring(current: Self.key("k1", 0))
        #expect(ring.derive(patientRef: "p-001", visitID: "v-1") == "bk-k1-b9a43185b733adbd76775e50defab94c")
    }

    @Test func afterRotationTheOlderKeysAndUnkeyedIDsAreStillRecognised() throws {
        let before = try BookingIDKeyring(current: Self.key("k1", 0))
        let after = try BookingIDKeyring(current: Self.key("k2", 7), older: [Self.key("k1", 0)])
        let old = before.derive(patientRef: "p-001", visitID: "v-1")
        let new = after.derive(patientRef: "p-001", visitID: "v-1")
        #expect(new != old && BookingIDKeyring.keyID(of: new) == "k2")
        #expect(after.recognises(old, patientRef: "p-001", visitID: "v-1"))
        #expect(after.recognises(new, patientRef: "p-001", visitID: "v-1"))
        #expect(!after.recognises(old, patientRef: "p-002", visitID: "v-1"))
        #expect(!before.recognises(new, patientRef: "p-001", visitID: "v-1"))
        // Lookup order: newest key first, then older keys, then the unkeyed id of earlier versions
        // (printf 'trialtransit.booking.v1\n5:p-001\nv-1' | sha256sum → f11bd15f8d921fd337de125d1f4b7e37…).
        #expect(
            after.candidates(patientRef: "p-001", visitID: "v-1") == [new, old, "bk-f11bd15f8d921fd337de125d1f4b7e37"])
        #expect(BookingIDKeyring.keyID(of: "bk-f11bd15f8d921fd337de125d1f4b7e37") == nil)
        #expect(throws: BookingIDKeyError.duplicateKeyID("k1")) {
            try BookingIDKeyring(current: Self.key("k1", 0), older: [Self.key("k1", 9)])
        }
    }

    @Test func theKeyFileListsTheCurrentKeyFirstAndRefusesWeakKeys() throws {
        let current = try Self.key("k2", 7)
        let older = try Self.key("k1", 0)
        let text = "# booking-id keys\n\(BookingIDKeyFile.line(current))\n\n  \(BookingIDKeyFile.line(older))  \n"
        let keys = try BookingIDKeyFile.parse(text)
        #expect(keys.map(\.id) == ["k2", "k1"])
        let ring = try BookingIDKeyring(current: keys[0], older: Array(keys.dropFirst()))
        #expect(
            ring.derive(patientRef: "p", visitID: "v")
                == BookingIDKeyring.derive(patientRef: "p", visitID: "v", key: current))
        #expect(throws: BookingIDKeyError.secretTooShort(keyID: "k1", bytes: 16)) {
            try BookingIDKeyFile.parse("k1 " + String(repeating: "ab", count: 16))
        }
        #expect(throws: BookingIDKeyError.invalidKeyID("K-1")) {
            try BookingIDKeyFile.parse("K-1 " + String(repeating: "ab", count: 32))
        }
        #expect(throws: BookingIDKeyError.malformedLine(2)) { try BookingIDKeyFile.parse("# x\nk1 not-hex\n") }
        #expect(throws: BookingIDKeyError.noKey) { try BookingIDKeyFile.parse("# nothing\n") }
        // Errors never show a secret.
        let secret = String(repeating: "ab", count: 16)
        do {
            _ = try BookingIDKeyFile.parse("k1 " + secret)
        } catch {
            #expect(!error.description.contains(secret))
        }
    }

    /// Without a key file the worker keys ids with a key generated once and kept in the store (no
    /// public default); with one, that stored key stays recognised as an older key.
    @Test func withoutAKeyFileTheStoreKeepsAGeneratedKey() async throws {
        let path = temporarySQLitePath("booking-id-key")
        defer { removeSQLiteFiles(path) }
        let store = try SQLiteStore(path: path, logger: TransportTestSupport.logger)
        try await store.migrate()
        let first = try await BookingIDKeySource.keyring(fileKeys: [], store: store, logger: TransportTestSupport.logger)
        let again = try await BookingIDKeySource.keyring(fileKeys: [], store: store, logger: TransportTestSupport.logger)
        #expect(first.current.id == BookingIDKeySource.generatedKeyID)
        #expect(first.derive(patientRef: "p", visitID: "v") == again.derive(patientRef: "p", visitID: "v"))
        let withFile = try await BookingIDKeySource.keyring(
            fileKeys: [Self.key("k1", 0)], store: store, logger: TransportTestSupport.logger)
        #expect(withFile.keys.map(\.id) == ["k1", BookingIDKeySource.generatedKeyID])
        #expect(withFile.recognises(first.derive(patientRef: "p", visitID: "v"), patientRef: "p", visitID: "v"))
        try await store.close()

        let other = temporarySQLitePath("booking-id-key")
        defer { removeSQLiteFiles(other) }
        let otherStore = try SQLiteStore(path: other, logger: TransportTestSupport.logger)
        try await otherStore.migrate()
        let fileOnly = try await BookingIDKeySource.keyring(
            fileKeys: [Self.key("k1", 0)], store: otherStore, logger: TransportTestSupport.logger)
        #expect(fileOnly.keys.map(\.id) == ["k1"])  // nothing generated when a key file is given
        let elsewhere = try await BookingIDKeySource.keyring(fileKeys: [], store: otherStore, logger: TransportTestSupport.logger)
        #expect(elsewhere.derive(patientRef: "p", visitID: "v") != first.derive(patientRef: "p", visitID: "v"))
        try await otherStore.close()
    }
}

@Suite("Transport worker: booking-id key rotation", .timeLimit(.minutes(3)))
struct BookingIDRotationTests {
    /// A booking made under key k1 is still found by visit after the worker restarts with k2 as its
    /// current key and k1 as an older one; a new visit's booking gets a k2 id.
    @Test func bookingsMadeUnderAnOlderKeyAreStillFoundAfterARotation() async throws {
        try await TransportHarness.with("rotation", partners: [TransportTestSupport.partnerJSON(id: "metro-taxi")]) {
            harness, collector in
            let k1 = try BookingIDKey.generate(id: "k1")
            let k2 = try BookingIDKey.generate(id: "k2")
            try await harness.stopWorker()
            harness.bookingIDs = try BookingIDKeyring(current: k1)
            try await harness.startWorker()
            let patient = TransportTestSupport.unique("p")
            try await harness.releaseForTransport(patient: patient, visitID: "v-1", collector)
            // One request for both calls: its pickup window follows the clock's minute, and the
            // restart between the calls may cross one.
            let ride = TransportTestSupport.bookRideRequest(patient: patient, visitID: "v-1")
            let first = try await harness.client().call(
                TransportBookingService.bookRide, ride, key: patient, deadline: .seconds(60))
            let oldID = try #require(first.booking?.bookingId)
            #expect(BookingIDKeyring.keyID(of: oldID) == "k1")

            try await harness.stopWorker()
            harness.bookingIDs = try BookingIDKeyring(current: k2, older: [k1])
            try await harness.startWorker()
            #expect(try await harness.getBooking(patient: patient, visit: "v-1").bookingId == oldID)
            // The same ride again finds the old booking (no second booking under the new key).
            let again = try await harness.client().call(
                TransportBookingService.bookRide, ride, key: patient, deadline: .seconds(60))
            #expect(again.booking?.bookingId == oldID)
            // Trial access cancelling the visit reaches the old booking too.
            try await harness.publish(TransportTestSupport.travelNoLongerNeeded(patient: patient, visitID: "v-1"))
            try await harness.waitForEvents(collector) { events in
                events.contains { $0.cancelled?.bookingId == oldID }
            }

            try await harness.releaseForTransport(patient: patient, visitID: "v-2", collector)
            let second = try await harness.client().call(
                TransportBookingService.bookRide, TransportTestSupport.bookRideRequest(patient: patient, visitID: "v-2"),
                key: patient, deadline: .seconds(60))
            #expect(BookingIDKeyring.keyID(of: second.booking?.bookingId ?? "") == "k2")
            try await harness.settle(collector)
            #expect(harness.events(collector).compactMap(\.requested).count == 2)
        }
    }
}
