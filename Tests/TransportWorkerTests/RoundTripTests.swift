import TransitDemo
import TransitKafka
import TransitRPC
import TransitWire
import TransportWorker
import Testing

@Suite("Transport worker: round trip", .timeLimit(.minutes(3)))
struct RoundTripTests {
    /// TravelAssistanceRequested + TravelNeeded → booking → offer → the simulator accepts and drives
    /// the ride through every status to COMPLETED; GetBooking shows the finished leg.
    @Test func fullRoundTripToCompletedWithTheSimulator() async throws {
        try await TransportHarness.with("round-trip", partners: [TransportTestSupport.partnerJSON(id: "metro-taxi")]) {
            harness, collector in
            let simulator = try await harness.simulator(PartnerSimulatorOptions(partnerID: "metro-taxi", stepDelay: .milliseconds(50)))
            let patient = TransportTestSupport.unique("p")
            try await harness.publish(TransportTestSupport.travelRequested(patient: patient, visitID: "v-1"))
            try await harness.publish(
                TransportTestSupport.travelNeeded(patient: patient, visitID: "v-1", at: TransportTestSupport.appointment()))

            let events = try await harness.waitForEvents(collector) { events in
                events.contains { $0.statusChange?.status == .completed }
            }
            #expect(events.first?.requested != nil)
            #expect(events.allSatisfy { $0.patientRef == patient && $0.source == "transport" })
            let offered = events.compactMap(\.offered)
            #expect(offered.map(\.partnerId) == ["metro-taxi"])
            #expect(offered.first?.attempt == 1)
            #expect(events.compactMap(\.confirmed).map(\.partnerId) == ["metro-taxi"])
            let statuses = events.compactMap(\.statusChange).filter { $0.legId == "outbound-1" }.map(\.status)
            #expect(statuses == [.driverAssigned, .arriving, .pickedUp, .completed])

            let booking = try await harness.getBooking(patient: patient, visit: "v-1")
            let leg = try #require(booking.legs.first)
            #expect(booking.legs.count == 1)
            #expect(leg.status == .completed)
            #expect(leg.partnerId == "metro-taxi")
            #expect(leg.partnerSequence == 5)
            #expect(leg.partnerRideId.hasPrefix("metro-taxi-ride-"))
            #expect(simulator.stats.accepted == 1)
            #expect(simulator.stats.completed == 1)
        }
    }
}
