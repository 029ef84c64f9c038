import Foundation
import Testing
import TransportBooking
@testable import TransportWorker

/// The hand-written state coding must write the very bytes `JSONEncoder` (`.sortedKeys`) writes
/// and read everything exactly as `JSONDecoder` does (stored rows of any version stay readable).
@Suite("Transport worker: stored state coding")
struct StateCodingTests {
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
        return try PartnerDirectory.load(json: Data(json.utf8))
    }

    static func request(eventID: String = "ev/1", returnTrip: Bool = true) -> TravelRequest {
        TravelRequest(
            eventID: eventID, origin: .travelNeeded, patientRef: "p-001", trialID: "NCT01234567", visitID: "v-1",
            travelRequestID: "req-1", appointmentAt: now + 3 * 86_400_000, visitDurationMinutes: 90,
            pickup: home, dropOff: site, returnTrip: returnTrip,
            needs: RideNeeds(mobility: .ambulatory, companions: 1, language: "nl"), contactToken: "ct-\"secret\"",
            preferredPartnerID: "metro-taxi")
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

    static func reference<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(value))
    }

    /// Read by the fast reader alone (no fallback to `JSONDecoder`).
    static func fastBooking(_ bytes: [UInt8]) throws -> Booking {
        var reader = StateJSONReader(bytes)
        let booking = try reader.booking()
        try reader.end()
        return booking
    }

    @Test func bookingsAreWrittenAsJSONEncoderWritesThem() throws {
        for booking in try Self.bookings() {
            let bytes = try StateCoding.encode(booking)
            #expect(bytes == (try Self.reference(booking)), "\(String(decoding: bytes, as: UTF8.self))")
            #expect(try Self.fastBooking(bytes) == booking)
            #expect(try JSONDecoder().decode(Booking.self, from: Data(bytes)) == booking)
        }
    }

    @Test func intakesAreWrittenAsJSONEncoderWritesThem() throws {
        for intake in Self.intakes() {
            let bytes = try StateCoding.encode(intake)
            #expect(bytes == (try Self.reference(intake)), "\(String(decoding: bytes, as: UTF8.self))")
            var reader = StateJSONReader(bytes)
            #expect(try reader.intake() == intake)
            try reader.end()
        }
    }

    @Test func setsOfManyElementsRoundTrip() throws {
        var intake = Self.intakes()[1]
        _ = intake.cancel(requestID: "req-1", visitID: "v-8")
        _ = intake.cancel(requestID: "req-1", visitID: "v-7")
        let bytes = try StateCoding.encode(intake)
        #expect(try StateCoding.intake(from: bytes) == intake)
        #expect(try JSONDecoder().decode(TravelIntake.self, from: Data(bytes)) == intake)
    }

    @Test(arguments: [
        "plain", "", "slash/and\\backslash \"quoted\"", "\u{0}\u{1}\u{8}\u{9}\u{A}\u{C}\u{D}\u{1F}\u{7F}",
        "é€😀 \u{2028}\u{2029} <>&'", "ends with \\",
    ])
    func stringsAreEscapedAsJSONEncoderEscapesThem(_ text: String) throws {
        var booking = try Self.bookings()[0]
        booking.trialID = text
        booking.legs[0].partnerSequences[text] = 3
        booking.legs[0].pickup?.addressText = text
        let bytes = try StateCoding.encode(booking)
        #expect(bytes == (try Self.reference(booking)))
        #expect(try StateCoding.booking(from: bytes) == booking)
    }

    @Test(arguments: [
        0.0, -0.0, 42.0, 42.3626, -71.0687, 0.1, 1e21, 1e-7, Double.leastNonzeroMagnitude, 1.7976931348623157e308,
        3e15, 12345678.9,
        -179.99999999999997,
    ])
    func coordinatesAreWrittenAsJSONEncoderWritesThem(_ value: Double) throws {
        var booking = try Self.bookings()[0]
        booking.legs[0].pickup?.point = GeoPoint(latitude: value, longitude: -value)
        let bytes = try StateCoding.encode(booking)
        #expect(bytes == (try Self.reference(booking)))
        let decoded = try StateCoding.booking(from: bytes)
        #expect(decoded.legs[0].pickup?.point.latitude.bitPattern == value.bitPattern)
    }

    @Test func nonFiniteCoordinatesAreRefusedAsBefore() throws {
        var booking = try Self.bookings()[0]
        booking.legs[0].pickup?.point = GeoPoint(latitude: .nan, longitude: 0)
        #expect(throws: EncodingError.self) { try StateCoding.encode(booking) }
    }

    /// JSON the fast reader does not write itself (spacing, key order, unknown keys, nulls, `\u`
    /// escapes) decodes to what `JSONDecoder` makes of it.
    @Test func otherValidJSONIsReadAsJSONDecoderReadsIt() throws {
        let booking = try Self.bookings()[2]
        let object = try JSONSerialization.jsonObject(with: Data(try Self.reference(booking))) as! [String: Any]
        var changed = object
        changed["unknownField"] = ["nested": [1, 2.5, true, NSNull(), "x"]]
        changed["preferredPartnerID"] = NSNull()
        for options: JSONSerialization.WritingOptions in [[], [.prettyPrinted], [.withoutEscapingSlashes]] {
            let text = try JSONSerialization.data(withJSONObject: changed, options: options)
            #expect(try Self.fastBooking(Array(text)) == JSONDecoder().decode(Booking.self, from: text))
        }
        let escaped = String(decoding: try Self.reference(booking), as: UTF8.self)
            .replacingOccurrences(of: "\"p-001\"", with: "\"p-\\u00e9\\ud83d\\ude00\\/\\u0031\"")
        let expected = try JSONDecoder().decode(Booking.self, from: Data(escaped.utf8))
        #expect(expected.patientRef == "p-é😀/1")
        #expect(try Self.fastBooking(Array(escaped.utf8)) == expected)
    }

    /// Anything `JSONDecoder` refuses is refused (the fast reader hands it over).
    @Test(arguments: [
        "", "{", "[]", "{\"bookingID\": 1}", "null", "{\"appointmentAt\":1.5}",
        "{\"appointmentAt\":99999999999999999999}", "{} x",
    ])
    func malformedBookingsAreRefused(_ text: String) throws {
        #expect(throws: (any Error).self) { try StateCoding.booking(from: Array(text.utf8)) }
        #expect(throws: (any Error).self) { try StateCoding.intake(from: Array(text.utf8)) }
    }

    @Test func truncatedOrMistypedStoredBookingsAreRefused() throws {
        let bytes = try Self.reference(try Self.bookings()[2])
        for length in stride(from: 0, to: bytes.count - 1, by: 7) {
            #expect(throws: (any Error).self) { try StateCoding.booking(from: Array(bytes[..<length])) }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        for (from, to) in [("\"revision\":1", "\"revision\":\"1\""), ("\"status\":\"accepted\"", "\"status\":\"gone\""),
            ("\"returnTrip\":true", "\"returnTrip\":1"), ("\"offerAttempts\":2", "\"offerAttempts\":-2")]
        {
            #expect(text.contains(from))
            #expect(throws: (any Error).self) {
                try StateCoding.booking(from: Array(text.replacingOccurrences(of: from, with: to).utf8))
            }
        }
    }
}
