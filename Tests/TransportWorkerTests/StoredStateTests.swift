import Foundation
import Testing
import TransitRuntime
import TransitStore
import TransitTestSupport
import TransportBooking
@testable import TransportWorker

/// Bookings and intakes are stored as `trialtransit.store.v1` protobuf; rows of the old JSON format
/// (what `JSONEncoder` with sorted keys wrote) are read, never written.
@Suite("Transport worker: stored state")
struct StoredStateTests {
    static let now: Int64 = 1_767_312_000_000
    static let home = Location(point: GeoPoint(latitude: 42.3318, longitude: -71.1212), addressText: "Harvard St 12/3")
    static let site = Location(point: GeoPoint(latitude: 42.3626, longitude: -71.0687), addressText: "Fruit St 55")

    static func directory() throws -> PartnerDirectory {
        let json = """
            {"version": 1, "partners": [
              {"id": "metro-taxi", "priority": 1,
               "service_area": {"centre": {"latitude": 42.36, "longitude": -71.06}, "radius_km": 60},
               "capabilities": {"mobility": ["ambulatory"], "companion_seats": 3},
               "minimum_lead_time_minutes": 60, "free_cancellation_minutes": 60, "response_timeout_seconds": 120},
              {"id": "careways", "priority": 2,
               "service_area": {"centre": {"latitude": 42.36, "longitude": -71.06}, "radius_km": 120},
               "capabilities": {"mobility": ["ambulatory", "wheelchair"], "companion_seats": 1},
               "minimum_lead_time_minutes": 60, "free_cancellation_minutes": 1440, "response_timeout_seconds": 600}
            ]}
            """
        return try PartnerDirectory.load(protoJSON: Array(json.utf8))
    }

    static func request(eventID: String = "ev/1", returnTrip: Bool = true) -> TravelRequest {
        TravelRequest(
            eventID: eventID, origin: .travelNeeded, patientRef: "p-001", trialID: "NCT01234567", visitID: "v-1",
            travelRequestID: "req-1", appointmentAt: now + 3 * 86_400_000, visitDurationMinutes: 90,
            pickup: home, dropOff: site, returnTrip: returnTrip,
            needs: RideNeeds(mobility: .ambulatory, companions: 1, language: "nl"), contactToken: "ct-\"secret\"",
            preferredPartnerID: "metro-taxi",
            bookingID: TransportTestSupport.bookingIDs.derive(patientRef: "p-001", visitID: "v-1"))
    }

    /// Bookings in many states, from the decider: offered, accepted after a refusal (two
    /// partners' sequences), cancelled late, erased, and one with every optional field set.
    static func bookings() throws -> [Booking] {
        let partners = try directory()
        func decide(_ command: BookingCommand, _ booking: Booking?) throws -> Booking {
            switch BookingDecider().decide(command, booking: booking, partners: partners, now: now) {
            case .success(let decision): return decision.booking
            case .failure(let rejection): throw rejection
            }
        }
        let offered = try decide(.requestTravel(request()), nil)
        let refused = try decide(
            .partnerUpdate(
                PartnerUpdate(
                    eventID: "u/1", partnerID: "metro-taxi", bookingID: offered.bookingID, legID: "outbound-1",
                    status: .rejected, sequence: 1, reason: .other)), offered)
        let accepted = try decide(
            .partnerUpdate(
                PartnerUpdate(
                    eventID: "u/2", partnerID: "careways", bookingID: offered.bookingID, legID: "outbound-1",
                    partnerRideID: "ride-9", status: .accepted, sequence: 4, etaAt: now + 1_000)), refused)
        let cancelled = try decide(
            .cancel(
                .cancelRide(
                    eventID: "c/1", patientRef: "p-001", legID: nil, actor: .coordinator, reasonCode: "NO_LONGER")),
            accepted)
        let erased = try decide(.eraseData(DataErasure(eventID: "e/1", erasureRequestID: "er-1")), accepted)
        var full = accepted
        full.requestedPickupWindow = TimeWindow(startAt: now + 5, endAt: now + 6)
        full.personalDataErasedAt = now
        full.legs[0].attentionReason = .partnerCancelled
        full.legs[0].cancelledBy = .partner
        full.legs[0].reasonCode = "CODE"
        full.legs[0].lateCancellation = true
        full.legs[0].offerExpiresAt = now + 7
        full.legs[0].triedPartnerIDs.append("zz-é")
        full.legs[0].partnerSequences["B-upper"] = 18_446_744_073_709_551_615
        var bare = offered
        bare.travelRequestID = nil
        bare.visitDurationMinutes = nil
        bare.preferredPartnerID = nil
        bare.legs[0].arriveBy = nil
        bare.legs[0].pickup = nil
        bare.legs[0].dropOff = nil
        bare.legs[0].contactToken = nil
        bare.legs[0].currentPartnerID = nil
        bare.legs[0].history = []
        bare.legs = [bare.legs[0]]
        return [offered, refused, accepted, cancelled, erased, full, bare]
    }

    static func intakes() -> [TravelIntake] {
        var intake = TravelIntake(patientRef: "p-001")
        _ = intake.record(
            TravelAssistance(
                requestID: "req-1", trialID: "NCT01234567", visitID: nil, pickup: home, returnTrip: true,
                contactToken: "ct-1"), eventID: "ev/1")
        _ = intake.record(
            TravelAssistance(
                requestID: "req-2", trialID: "NCT01234567", visitID: "v-2", pickup: home, dropOff: site,
                returnTrip: false, mobility: .wheelchair, companions: 2, language: "fr", contactToken: "ct-2",
                preferredPartnerID: "careways"), eventID: "ev/2")
        _ = intake.cancel(requestID: "req-1", visitID: "v-9")
        _ = intake.record(
            VisitTravelNeed(
                visitID: "v-2", trialID: "NCT01234567", appointmentAt: now, visitDurationMinutes: 45,
                destination: site, mobility: .stretcher, companions: 1, language: "de"), eventID: "ev/3")
        _ = intake.record(
            VisitTravelNeed(visitID: "v-1", trialID: "NCT01234567", appointmentAt: now, destination: site),
            eventID: "ev/4")
        var erased = intake
        erased.erasePersonalData()
        return [TravelIntake(patientRef: "p-empty"), intake, erased]
    }

    /// The old stored form: JSON of the `Codable` value with sorted keys.
    static func legacyJSON<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(value))
    }

    @Test func bookingsRoundTripAsProtobuf() throws {
        for booking in try Self.bookings() {
            let bytes = booking.storedBytes
            #expect(!StoredState.isLegacyJSON(bytes))
            #expect(try Booking(storedBytes: bytes) == booking)
        }
    }

    @Test func intakesRoundTripAsProtobuf() throws {
        var many = Self.intakes()[1]
        _ = many.cancel(requestID: "req-1", visitID: "v-8")
        _ = many.cancel(requestID: "req-1", visitID: "v-7")
        for intake in Self.intakes() + [many] {
            let bytes = intake.storedBytes
            #expect(!StoredState.isLegacyJSON(bytes))
            #expect(try TravelIntake(storedBytes: bytes) == intake)
        }
    }

    /// Every bit, but for -0.0, which proto3 writes as the default 0.0 (the same place).
    @Test func coordinatesKeepEveryBit() throws {
        for value in [0.0, 42.3626, -71.0687, Double.leastNonzeroMagnitude, 1.7976931348623157e308, .nan, .infinity] {
            var booking = try Self.bookings()[0]
            booking.legs[0].pickup?.point = GeoPoint(latitude: value, longitude: -value)
            let decoded = try Booking(storedBytes: booking.storedBytes)
            #expect(decoded.legs[0].pickup?.point.latitude.bitPattern == value.bitPattern)
        }
    }

    @Test func rowsOfTheOldJSONFormatAreRead() throws {
        for booking in try Self.bookings() {
            #expect(try Booking(storedBytes: Self.legacyJSON(booking)) == booking)
        }
        for intake in Self.intakes() {
            #expect(try TravelIntake(storedBytes: Self.legacyJSON(intake)) == intake)
        }
    }

    /// Garbage, truncated rows and unknown enum numbers are refused with the type's name only.
    @Test func unreadableRowsAreRefusedWithoutQuotingThem() throws {
        let bytes = try Self.bookings()[2].storedBytes
        var unreadable: [[UInt8]] = [[0xFF, 0x01], Array("{\"bookingID\": \"p-secret\"}".utf8)]
        unreadable += stride(from: 1, to: bytes.count - 1, by: 7).map { Array(bytes[..<$0]) }
        unreadable.append(Self.withUnknownLegStatus(try Self.bookings()[2]))
        for row in unreadable {
            #expect {
                _ = try Booking(storedBytes: row)
            } throws: { error in
                (error as? StoredStateError)?.description == "stored Booking does not decode"
            }
        }
    }

    /// A row written in the old format by an earlier version is read from SQLite and PostgreSQL,
    /// and the next save rewrites it as protobuf.
    @Test(arguments: StoreKind.allCases)
    func oldRowsInTheStoreAreReadAndRewrittenAsProtobuf(_ kind: StoreKind) async throws {
        let database = try await TestDatabase.make(kind)
        defer { database.destroy() }
        let store = try await database.open()
        let booking = try Self.bookings()[2]
        let intake = Self.intakes()[1]
        let (oldBooking, oldIntake) = (try Self.legacyJSON(booking), try Self.legacyJSON(intake))
        try await store.transaction { transaction in
            try transaction.setState(namespace: BookingState.bookingNamespace, key: booking.bookingID, value: oldBooking)
            try transaction.setState(namespace: BookingState.intakeNamespace, key: intake.patientRef, value: oldIntake)
        }
        let read = try await store.transaction { transaction in
            let state = BookingState(transaction: transaction, locking: false)
            return (try state.booking(id: booking.bookingID), try state.intake(patientRef: intake.patientRef))
        }
        #expect(read.0 == booking)
        #expect(read.1 == intake)
        let rows = try await store.transaction { transaction in
            let state = BookingState(transaction: transaction)
            try state.save(booking)
            try state.save(intake)
            return (
                try state.rawState(namespace: BookingState.bookingNamespace, key: booking.bookingID) ?? [],
                try state.rawState(namespace: BookingState.intakeNamespace, key: intake.patientRef) ?? []
            )
        }
        try await store.close()
        #expect(rows.0 == booking.storedBytes)
        #expect(rows.1 == intake.storedBytes)
    }
}
