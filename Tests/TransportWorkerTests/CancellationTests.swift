import TransitDemo
import TransitKafka
import TransitRPC
import TransitWire
import TransportWorker
import Testing
import TransitTestSupport
import TransitTime

@Suite("Transport worker: cancellation and reschedule", .timeLimit(.minutes(3)))
struct CancellationTests {
    /// Trial access cancels the visit after the partner accepted: the partner gets a
    /// RideCancellation (and stops the ride), the booking a RideCancelled.
    @Test func visitCancelledAfterAcceptanceCancelsTheRideAtThePartner() async throws {
        try await TransportHarness.with("visit-cancelled", partners: [TransportTestSupport.partnerJSON(id: "metro-taxi")]) {
            harness, collector in
            let simulator = try await harness.simulator(PartnerSimulatorOptions(partnerID: "metro-taxi", stepDelay: .seconds(60)))
            let patient = TransportTestSupport.unique("p")
            try await harness.publish(TransportTestSupport.travelRequested(patient: patient, visitID: "v-1"))
            try await harness.publish(
                TransportTestSupport.travelNeeded(patient: patient, visitID: "v-1", at: TransportTestSupport.appointment()))
            try await harness.waitForEvents(collector) { $0.contains { $0.confirmed != nil } }

            try await harness.publish(TransportTestSupport.travelNoLongerNeeded(patient: patient, visitID: "v-1"))
            let events = try await harness.waitForEvents(collector) { $0.contains { $0.cancelled != nil } }
            let cancelled = try #require(events.compactMap(\.cancelled).first)
            #expect(cancelled.legId == "outbound-1")
            #expect(cancelled.cancelledBy == .system)
            #expect(cancelled.reasonCode == "VISIT_CANCELLED")
            #expect(cancelled.lateCancellation == false)  // three days ahead, 60 minutes free

            try await collector.read { _ in
                harness.commands(collector, partner: "metro-taxi").contains {
                    if case .rideCancellation = $0.body { return true } else { return false }
                }
            }
            let commands = harness.commands(collector, partner: "metro-taxi")
            guard case .rideCancellation(let cancellation) = commands.last?.body else {
                Issue.record("no RideCancellation for the partner")
                return
            }
            #expect(cancellation.bookingId == cancelled.bookingId)
            #expect(cancellation.legId == "outbound-1")

            let booking = try await harness.getBooking(patient: patient, visit: "v-1")
            #expect(booking.legs.first?.status == .cancelled)
            #expect(booking.legs.first?.cancelledBy == .system)
            try await waitUntil("the partner to receive the cancellation") { simulator.stats.cancellations > 0 }
            #expect(simulator.stats.cancellations == 1)
            #expect(simulator.stats.completed == 0)
        }
    }

    /// A moved visit (trial access: TravelNoLongerNeeded(VISIT_RESCHEDULED), VisitPlanned, TravelNeeded
    /// with the new time): the old leg is cancelled and a new one is booked and offered.
    @Test func rescheduledVisitIsRebookedForTheNewTime() async throws {
        try await TransportHarness.with("reschedule", partners: [TransportTestSupport.partnerJSON(id: "metro-taxi")]) {
            harness, collector in
            let patient = TransportTestSupport.unique("p")
            let first = TransportTestSupport.appointment(daysAhead: 3)
            let moved = TransportTestSupport.appointment(daysAhead: 4)
            try await harness.publish(TransportTestSupport.travelRequested(patient: patient, visitID: "v-1"))
            try await harness.publish(TransportTestSupport.travelNeeded(patient: patient, visitID: "v-1", at: first))
            try await harness.waitForEvents(collector) { $0.contains { $0.offered != nil } }

            // One decision: trial access dates all three outputs alike (the time it decided).
            let retraction = TransportTestSupport.travelNoLongerNeeded(patient: patient, visitID: "v-1", reason: .visitRescheduled)
            let decidedAt = retraction.occurredAt
            try await harness.publish(retraction)
            var planned = VisitPlanned()
            planned.visit = TransportTestSupport.visit("v-1", at: moved)
            planned.previousScheduledAt = first
            try await harness.publish(
                TrialAccessEvent(
                    eventId: TransportTestSupport.unique("ta"), occurredAt: decidedAt, source: "test",
                    patientRef: patient, body: .visitPlanned(planned)))
            var renewed = TransportTestSupport.travelNeeded(patient: patient, visitID: "v-1", at: moved)
            renewed.occurredAt = decidedAt
            try await harness.publish(renewed)

            let events = try await harness.waitForEvents(collector) { events in
                events.compactMap(\.offered).contains { $0.legId == "outbound-2" }
            }
            #expect(events.compactMap(\.cancelled).map(\.reasonCode) == ["VISIT_RESCHEDULED"])
            #expect(events.compactMap(\.requested).count == 2)
            let booking = try await harness.getBooking(patient: patient, visit: "v-1")
            #expect(booking.legs.map(\.legId) == ["outbound-1", "outbound-2"])
            #expect(booking.legs.map(\.status) == [.cancelled, .offered])
            let windows = booking.legs.compactMap(\.pickupWindow)
            #expect(windows.count == 2 && windows[1].startAt - windows[0].startAt == 24 * 3_600_000)
        }
    }
}

extension CancellationTests {
    /// A trial-wide travel request serving two visits is withdrawn: both bookings are cancelled
    /// (actor patient), each with its own event ids.
    @Test func travelAssistanceCancelledCancelsEveryBookingItServed() async throws {
        try await TransportHarness.with("assistance-cancelled", partners: [TransportTestSupport.partnerJSON(id: "metro-taxi")]) {
            harness, collector in
            let patient = TransportTestSupport.unique("p")
            try await harness.publish(TransportTestSupport.travelRequested(patient: patient, requestID: "req-9", visitID: ""))
            try await harness.publish(
                TransportTestSupport.travelNeeded(patient: patient, visitID: "v-1", at: TransportTestSupport.appointment(daysAhead: 3)))
            try await harness.publish(
                TransportTestSupport.travelNeeded(patient: patient, visitID: "v-2", at: TransportTestSupport.appointment(daysAhead: 10)))
            try await harness.waitForEvents(collector) { $0.compactMap(\.offered).count == 2 }

            var body = TravelAssistanceCancelled()
            body.requestId = "req-9"
            try await harness.publish(
                TravelEvent(
                    eventId: TransportTestSupport.unique("ev"), occurredAt: SystemWallClock().nowMilliseconds(), source: "test",
                    patientRef: patient, body: .travelAssistanceCancelled(body)))
            let events = try await harness.waitForEvents(collector) { $0.compactMap(\.cancelled).count == 2 }
            let cancelled = events.compactMap(\.cancelled)
            #expect(Set(cancelled.map(\.bookingId)).count == 2)
            #expect(cancelled.allSatisfy { $0.cancelledBy == .patient && $0.reasonCode == "TRAVEL_ASSISTANCE_CANCELLED" })
            #expect(Set(events.map(\.eventId)).count == events.count, "event ids are unique")
            for visit in ["v-1", "v-2"] {
                let booking = try await harness.getBooking(patient: patient, visit: visit)
                #expect(booking.legs.map(\.status) == [.cancelled])
                #expect(booking.travelRequestId == "req-9")
            }
        }
    }
}
