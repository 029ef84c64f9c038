import TransitDemo
import TransitKafka
import TransitTestSupport
import TransitTime
import TransitWire
import TransportWorker
import Testing

@Suite("Transport worker: urgent round trip", .timeLimit(.minutes(3)))
struct UrgentRoundTripTests {
    /// An urgent TravelNeeded (a grade 3 adverse event's same-day visit) → the offer on the partner
    /// topic says urgent and opens at the partner's earliest pickup → the simulator accepts and
    /// completes the ride.
    @Test func anUrgentRideIsOfferedUrgentAndCompleted() async throws {
        let lead = 30
        try await TransportHarness.with(
            "urgent-trip", partners: [TransportTestSupport.partnerJSON(id: "metro-taxi", leadMinutes: lead)]
        ) { harness, collector in
            let simulator = try await harness.simulator(
                PartnerSimulatorOptions(partnerID: "metro-taxi", stepDelay: .milliseconds(50)))
            let patient = TransportTestSupport.unique("p")
            let before = SystemWallClock().nowMilliseconds()
            try await harness.publish(TransportTestSupport.travelRequested(patient: patient, visitID: "ae-1/visit"))
            try await harness.publish(
                TransportTestSupport.travelNeeded(
                    patient: patient, visitID: "ae-1/visit", at: before + 2 * 3_600_000, urgent: true))

            try await harness.waitForEvents(collector) { events in
                events.contains { $0.statusChange?.status == .completed && $0.statusChange?.legId == "outbound-1" }
            }
            let offers = harness.commands(collector, partner: "metro-taxi").compactMap { command in
                if case .rideOffer(let offer) = command.body { offer } else { nil }
            }
            let outbound = try #require(offers.first { $0.legId == "outbound-1" })
            #expect(outbound.urgent)
            let start = try #require(outbound.pickupWindow?.startAt)
            #expect(start >= before + Int64(lead) * 60_000)
            #expect(start <= SystemWallClock().nowMilliseconds() + Int64(lead) * 60_000)
            #expect(simulator.stats.accepted >= 1)
            #expect(simulator.stats.completed >= 1)
        }
    }
}
