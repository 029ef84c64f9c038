import TransitRPC
import TransitWire
import Testing
import TransitTestSupport

@Suite("Transport worker: stale TravelNeeded", .timeLimit(.minutes(3)))
struct StaleTravelNeededTests {
    /// A `TravelNeeded` trial access decided before a `TravelNoLongerNeeded` for the same visit, but
    /// arriving after it, books nothing and is audited; a later need for another visit books.
    @Test func aTravelNeededOlderThanAHandledCancellationBooksNothingAndIsAudited() async throws {
        try await TransportHarness.with("stale-need", partners: [TransportTestSupport.partnerJSON(id: "metro-taxi")]) {
            harness, collector in
            let patient = TransportTestSupport.unique("p")
            let at = TransportTestSupport.appointment()
            try await harness.publish(TransportTestSupport.travelRequested(patient: patient, requestID: "req-1", visitID: "v-1"))
            try await harness.publish(TransportTestSupport.travelRequested(patient: patient, requestID: "req-2", visitID: "v-2"))
            let cancellation = TransportTestSupport.travelNoLongerNeeded(patient: patient, visitID: "v-1")
            var stale = TransportTestSupport.travelNeeded(patient: patient, visitID: "v-1", at: at)
            stale.occurredAt = cancellation.occurredAt - 1_000
            var current = TransportTestSupport.travelNeeded(patient: patient, visitID: "v-2", at: at)
            current.occurredAt = cancellation.occurredAt + 1_000
            try await harness.publish(cancellation)
            try await harness.publish(stale)
            try await harness.publish(current)
            try await harness.settle(collector)

            let requested = harness.events(collector).compactMap(\.requested)
            #expect(requested.count == 1, "only the current need books: \(requested.count) rides requested")
            let audits = collector.messages.filter { $0.topic == harness.topics.audit }.compactMap { try? AuditRecord(wireBytes: $0.value) }
            let refused = audits.filter { $0.details["reason"] == "STALE_TRAVEL_NEEDED" }
            #expect(refused.count == 1, "audited once: \(audits.map(\.details))")
            #expect(refused.first?.details["visit-id"] == "v-1")
            #expect(refused.first?.details["source-event-id"] == stale.eventId)
            #expect(refused.first?.action == .requestRefused)
            #expect(refused.first?.subject == patient)
        }
    }
}
