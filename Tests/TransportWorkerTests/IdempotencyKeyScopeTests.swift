import TransitKafka
import TransitRPC
import TransitWire
import TransportWorker
import Testing

@Suite("Transport worker: idempotency keys are scoped by method", .timeLimit(.minutes(3)))
struct IdempotencyKeyScopeTests {
    /// The domain event id derived from a key includes the method, so a CancelRide reusing the
    /// key of its BookRide is a new input and cancels.
    @Test func bookRideThenCancelRideWithOneKeyBothAct() async throws {
        try await TransportHarness.with("key-scope", partners: [TransportTestSupport.partnerJSON(id: "metro-taxi")]) {
            harness, collector in
            let client = try harness.client()
            let patient = TransportTestSupport.unique("p")
            let key = TransportTestSupport.unique("one-key")
            try await harness.releaseForTransport(patient: patient, visitID: "v-1", collector)
            let booked = try await client.call(
                TransportBookingService.bookRide, TransportTestSupport.bookRideRequest(patient: patient, visitID: "v-1"),
                key: patient, deadline: .seconds(30), idempotencyKey: key)
            #expect(booked.booking?.legs.map(\.status) == [.offered])

            var cancel = CancelRideRequest()
            cancel.patientRef = patient
            cancel.bookingId = TransportTestSupport.bookingIDs.derive(patientRef: patient, visitID: "v-1")
            let cancelled = try await client.call(
                TransportBookingService.cancelRide, cancel, key: patient, deadline: .seconds(30), idempotencyKey: key)
            #expect(cancelled.booking?.legs.map(\.status) == [.cancelled])

            let partnerTopic = harness.topics.partnerRequests("metro-taxi")
            let commands = try await collector.read { messages in
                messages.partnerCommands(on: partnerTopic).contains {
                    if case .rideCancellation = $0.body { true } else { false }
                }
            }.partnerCommands(on: partnerTopic)
            #expect(commands.filter { if case .rideOffer = $0.body { true } else { false } }.count == 1)
            #expect(commands.filter { if case .rideCancellation = $0.body { true } else { false } }.count == 1)
            let events = try await harness.waitForEvents(collector) { !$0.compactMap(\.cancelled).isEmpty }
            #expect(events.compactMap(\.requested).count == 1)
            #expect(events.compactMap(\.cancelled).count == 1)
        }
    }
}
