import TransitKafka
import TransitRPC
import TransitWire
import TransportWorker
import Testing

@Suite("Transport worker: TransportBooking RPCs", .timeLimit(.minutes(3)))
struct RPCTests {
    /// BookRide (idempotent), GetBooking by id and by visit, CancelRide of one leg and of the rest,
    /// and the error statuses.
    @Test func bookRideGetBookingAndCancelRideOverRPC() async throws {
        try await TransportHarness.with("rpc", partners: [TransportTestSupport.partnerJSON(id: "metro-taxi")]) {
            harness, collector in
            let client = try harness.client()
            let patient = TransportTestSupport.unique("p")
            try await harness.releaseForTransport(patient: patient, visitID: "v-1", collector)
            let request = TransportTestSupport.bookRideRequest(patient: patient, visitID: "v-1", returnTrip: true)
            let bookingID = TransportTestSupport.bookingIDs.derive(patientRef: patient, visitID: "v-1")

            let first = try await client.call(
                TransportBookingService.bookRide, request, key: patient, deadline: .seconds(90), idempotencyKey: "book-1")
            let booking = try #require(first.booking)
            #expect(booking.bookingId == bookingID)
            #expect(booking.patientRef == patient)
            #expect(booking.legs.map(\.legId) == ["outbound-1", "return-1"])
            #expect(booking.legs.map(\.status) == [.offered, .offered])
            #expect(booking.legs.allSatisfy { $0.partnerId == "metro-taxi" })

            // Same key: the first answer again. New key, same ride: the existing booking, no new effect.
            let retried = try await client.call(
                TransportBookingService.bookRide, request, key: patient, deadline: .seconds(90), idempotencyKey: "book-1")
            #expect(retried == first)
            let again = try await client.call(
                TransportBookingService.bookRide, request, key: patient, deadline: .seconds(90), idempotencyKey: "book-2")
            #expect(again.booking?.legs.map(\.status) == [.offered, .offered])

            var elsewhere = request
            elsewhere.pickup = Location(point: GeoPoint(latitude: 42.40, longitude: -71.11), addressText: "Elm Street 3, Somerville")
            let conflict = await #expect(throws: RPCError.self) {
                try await client.call(TransportBookingService.bookRide, elsewhere, key: patient, deadline: .seconds(90))
            }
            #expect(conflict?.code == .alreadyExists)
            var noPickup = request
            noPickup.pickup = nil
            let invalid = await #expect(throws: RPCError.self) {
                try await client.call(TransportBookingService.bookRide, noPickup, key: patient, deadline: .seconds(90))
            }
            #expect(invalid?.code == .invalidArgument)

            let byID = try await client.call(
                TransportBookingService.getBooking, GetBookingRequest(patientRef: patient, bookingId: bookingID),
                key: patient, deadline: .seconds(90))
            #expect(byID.booking?.bookingId == bookingID)
            #expect(byID.booking?.legs.count == 2)
            let missing = await #expect(throws: RPCError.self) {
                try await client.call(
                    TransportBookingService.getBooking, GetBookingRequest(patientRef: patient, visitId: "v-404"),
                    key: patient, deadline: .seconds(90))
            }
            #expect(missing?.code == .notFound)
            let foreign = await #expect(throws: RPCError.self) {
                try await client.call(
                    TransportBookingService.getBooking, GetBookingRequest(patientRef: "someone-else", bookingId: bookingID),
                    key: "someone-else", deadline: .seconds(90))
            }
            #expect(foreign?.code == .notFound)

            var cancelReturn = CancelRideRequest()
            cancelReturn.patientRef = patient
            cancelReturn.bookingId = bookingID
            cancelReturn.legId = "return-1"
            let afterReturn = try await client.call(
                TransportBookingService.cancelRide, cancelReturn, key: patient, deadline: .seconds(90),
                idempotencyKey: "cancel-1")
            #expect(afterReturn.booking?.legs.map(\.status) == [.offered, .cancelled])
            #expect(afterReturn.booking?.legs.last?.cancelledBy == .coordinator)
            let repeated = try await client.call(
                TransportBookingService.cancelRide, cancelReturn, key: patient, deadline: .seconds(90),
                idempotencyKey: "cancel-1")
            #expect(repeated == afterReturn)

            var cancelAll = CancelRideRequest()
            cancelAll.patientRef = patient
            cancelAll.bookingId = bookingID
            cancelAll.cancelledBy = .patient
            cancelAll.reasonCode = "PATIENT_REQUEST"
            let afterAll = try await client.call(
                TransportBookingService.cancelRide, cancelAll, key: patient, deadline: .seconds(90), idempotencyKey: "cancel-2")
            #expect(afterAll.booking?.legs.map(\.status) == [.cancelled, .cancelled])
            #expect(afterAll.booking?.legs.first?.cancelledBy == .patient)
            #expect(afterAll.booking?.legs.first?.reasonCode == "PATIENT_REQUEST")
            let nothingLeft = try await client.call(
                TransportBookingService.cancelRide, cancelAll, key: patient, deadline: .seconds(90), idempotencyKey: "cancel-3")
            #expect(nothingLeft.booking?.legs.map(\.status) == [.cancelled, .cancelled])

            let commands = try await collector.read { _ in
                harness.commands(collector, partner: "metro-taxi").count >= 4
            }.partnerCommands(on: harness.topics.partnerRequests("metro-taxi"))
            try await harness.settle(collector)
            #expect(harness.commands(collector, partner: "metro-taxi").count == 4)
            #expect(commands.filter { if case .rideCancellation = $0.body { true } else { false } }.count == 2)
            let events = harness.events(collector)
            #expect(events.compactMap(\.requested).count == 1)
            #expect(events.compactMap(\.cancelled).count == 2)
        }
    }
}
