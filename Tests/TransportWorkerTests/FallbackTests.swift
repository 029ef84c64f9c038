import TransitDemo
import TransitKafka
import TransitRPC
import TransitWire
import TransportWorker
import Testing
import TransitTestSupport
import TransitTime

@Suite("Transport worker: partner fallback", .timeLimit(.minutes(3)))
struct FallbackTests {
    /// The first partner rejects; the leg goes to the second, which accepts.
    @Test func firstPartnerRejectsSecondAccepts() async throws {
        let partners = [
            TransportTestSupport.partnerJSON(id: "alpha-cabs", priority: 1),
            TransportTestSupport.partnerJSON(id: "beta-rides", priority: 2),
        ]
        try await TransportHarness.with("fallback", partners: partners) { harness, collector in
            let alpha = try await harness.simulator(PartnerSimulatorOptions(partnerID: "alpha-cabs", rejectFirst: 100))
            let beta = try await harness.simulator(PartnerSimulatorOptions(partnerID: "beta-rides", stepDelay: .seconds(60)))
            let patient = TransportTestSupport.unique("p")
            try await harness.releaseForTransport(patient: patient, visitID: "v-1", collector)
            let reply = try await harness.client().call(
                TransportBookingService.bookRide, TransportTestSupport.bookRideRequest(patient: patient, visitID: "v-1"),
                key: patient, deadline: .seconds(90), idempotencyKey: TransportTestSupport.unique("book"))
            #expect(reply.booking?.legs.first?.partnerId == "alpha-cabs")
            #expect(reply.booking?.legs.first?.status == .offered)

            let events = try await harness.waitForEvents(collector) { $0.contains { $0.confirmed != nil } }
            let offers = events.compactMap(\.offered)
            #expect(offers.map(\.partnerId) == ["alpha-cabs", "beta-rides"])
            #expect(offers.map(\.attempt) == [1, 2])
            let rejection = events.compactMap(\.statusChange).first { $0.status == .rejected }
            #expect(rejection?.partnerId == "alpha-cabs")
            #expect(rejection?.previousStatus == .offered)
            #expect(events.compactMap(\.confirmed).map(\.partnerId) == ["beta-rides"])

            let booking = try await harness.getBooking(patient: patient, visit: "v-1")
            #expect(booking.legs.first?.status == .accepted)
            #expect(booking.legs.first?.partnerId == "beta-rides")
            #expect(booking.legs.first?.offerAttempts == 2)
            // GetBooking carries the leg's history: both offers, the rejection, the acceptance.
            let history = booking.legs.first?.history ?? []
            #expect(history.first?.previousStatus == .unspecified)
            #expect(history.last?.status == .accepted)
            #expect(history.filter { $0.status == .offered }.map(\.partnerId) == ["alpha-cabs", "beta-rides"])
            #expect(history.first { $0.status == .rejected }?.partnerId == "alpha-cabs")
            #expect(history.allSatisfy { !$0.sourceEventId.isEmpty && $0.occurredAt > 0 })
            #expect(alpha.stats.rejected == 1)
            #expect(beta.stats.accepted == 1)
        }
    }

    /// A partner that never answers: its offer times out on a durable timer, and the timer fires
    /// once even though the worker that set it stopped and a new one took over the SQLite file.
    @Test func offerTimeoutMovesToTheNextPartnerAcrossAWorkerRestart() async throws {
        let partners = [
            TransportTestSupport.partnerJSON(id: "slow-cabs", priority: 1, responseTimeoutSeconds: 5),
            TransportTestSupport.partnerJSON(id: "beta-rides", priority: 2),
        ]
        // The worker's clock is a manual one: the offer times out when the test moves it on.
        let clock = ManualClock(start: SystemWallClock().nowMilliseconds())
        try await TransportHarness.with("timeout", partners: partners, clock: clock) { harness, collector in
            let patient = TransportTestSupport.unique("p")
            try await harness.publish(TransportTestSupport.travelRequested(patient: patient, visitID: "v-1"))
            try await harness.publish(
                TransportTestSupport.travelNeeded(patient: patient, visitID: "v-1", at: TransportTestSupport.appointment()))
            let first = try await harness.waitForEvents(collector) { $0.contains { $0.offered != nil } }
            #expect(first.compactMap(\.offered).map(\.partnerId) == ["slow-cabs"])

            // Stop before the offer expires; the timer stays in the store.
            try await harness.stopWorker()
            #expect(harness.worker?.stats.timersFired == 0)
            try await harness.startWorker()
            clock.advance(by: .seconds(6))

            let events = try await harness.waitForEvents(collector) { $0.compactMap(\.offered).count >= 2 }
            try await harness.settle(collector)
            let offers = events.compactMap(\.offered)
            #expect(offers.map(\.partnerId) == ["slow-cabs", "beta-rides"])
            #expect(offers.map(\.attempt) == [1, 2])
            let timedOut = harness.events(collector).compactMap(\.statusChange).filter { $0.status == .offerTimedOut }
            #expect(timedOut.count == 1)
            #expect(timedOut.first?.partnerId == "slow-cabs")
            #expect(harness.worker?.stats.timersFired == 1)

            // The void offer is withdrawn at the silent partner; the next one got the offer.
            let slow = harness.commands(collector, partner: "slow-cabs")
            #expect(slow.count == 2)
            if case .rideOffer = slow.first?.body {} else { Issue.record("first command to slow-cabs is not an offer") }
            if case .rideCancellation(let cancellation) = slow.last?.body {
                #expect(cancellation.legId == "outbound-1")
                #expect(cancellation.lateCancellation == false)
            } else {
                Issue.record("second command to slow-cabs is not a cancellation")
            }
            #expect(harness.commands(collector, partner: "beta-rides").count == 1)
        }
    }

    /// A wheelchair ride where the only wheelchair partner drives elsewhere: booked anyway, the leg
    /// needs attention with the reason, and no partner is asked.
    @Test func wheelchairRequestOutsideEveryCapablePartnersAreaNeedsAttention() async throws {
        let partners = [
            TransportTestSupport.partnerJSON(id: "metro-taxi", mobility: ["ambulatory"]),
            TransportTestSupport.partnerJSON(
                id: "lakeside-medical", latitude: 41.88, longitude: -87.63, radiusKm: 50,
                mobility: ["ambulatory", "wheelchair"]),
        ]
        try await TransportHarness.with("wheelchair", partners: partners) { harness, collector in
            let patient = TransportTestSupport.unique("p")
            try await harness.releaseForTransport(patient: patient, visitID: "v-1", collector)
            let reply = try await harness.client().call(
                TransportBookingService.bookRide,
                TransportTestSupport.bookRideRequest(patient: patient, visitID: "v-1", mobility: .wheelchair),
                key: patient, deadline: .seconds(90))
            let leg = try #require(reply.booking?.legs.first)
            #expect(leg.status == .needsAttention)
            #expect(leg.reasonCode == "NO_PARTNER_FOR_MOBILITY")
            #expect(leg.partnerId.isEmpty)

            let events = try await harness.waitForEvents(collector) { $0.contains { $0.attention != nil } }
            let attention = try #require(events.compactMap(\.attention).first)
            #expect(attention.reason == .noPartnerAvailable)
            #expect(attention.reasonCode == "NO_PARTNER_FOR_MOBILITY")
            #expect(attention.legId == "outbound-1")
            #expect(events.first?.requested != nil)
            #expect(events.compactMap(\.offered).isEmpty)
            #expect(harness.commands(collector, partner: "metro-taxi").isEmpty)
            #expect(harness.commands(collector, partner: "lakeside-medical").isEmpty)
        }
    }
}
