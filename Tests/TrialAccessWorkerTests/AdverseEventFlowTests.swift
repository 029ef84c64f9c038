import Foundation
import Testing
import TransitKafka
import TransitTestSupport
import TransitWire

/// `AdverseEventReported` through the local broker and an SQLite store: a grade 3 report brings the
/// patient in with an urgent `TravelNeeded`, audited step by step, and neither the term nor the
/// grade reaches `trial.access.events.v1` or the audit topic.
@Suite("trial-access worker: adverse events", .serialized, .timeLimit(.minutes(5)))
struct AdverseEventFlowTests {
    static let colitis = "10009887"

    @Test("a grade 3 report plans an urgent visit and an urgent TravelNeeded, audited without clinical detail")
    func grade3BringsThePatientInUrgently() async throws {
        try await withWorker("adverse-event") { topics, _ in
            let patient = TestBroker.unique("pt")
            let referred = Fixture.referred(consents: [Fixture.consent(.contact), Fixture.consent(.transport)])
            try await TestBroker.publish([Fixture.referral(patient, referred)], topics: topics)
            _ = try await TestBroker.events(topics) { $0.latestState(of: patient) == .eligible }
            try await TestBroker.publish([Fixture.travelRequested(patient)], topics: topics)

            let reportID = TestBroker.unique("ae")
            try await TestBroker.publish(
                [Fixture.adverseEventReported(patient, termCode: Self.colitis, grade: 3, id: reportID)], topics: topics)
            let events = try await TestBroker.events(topics) { events in
                events.contains { if case .travelNeeded? = $0.body { $0.patientRef == patient } else { false } }
            }
            let needs = events.compactMap { event -> TravelNeeded? in
                if case .travelNeeded(let need)? = event.body, event.patientRef == patient { need } else { nil }
            }
            let need = try #require(needs.first)
            #expect(need.urgent)
            #expect(need.visit?.visitId == "\(reportID)/visit")
            #expect(need.visit?.visitCode == "UNSCHEDULED")
            #expect(need.visit?.siteId == TestCatalog.siteA)

            let audit = try await TestBroker.auditRecords(topics) { records in
                records.contains { $0.subject == patient && $0.details["step"] == "travel" }
            }
            let steps = audit.filter { $0.subject == patient && $0.action == .adverseEventResponse }
            #expect(steps.compactMap { $0.details["step"] } == ["reported", "urgent-visit", "travel"])
            #expect(steps.allSatisfy { $0.actor == "worker:trial-access" })
            #expect(steps.last?.details["travel"] == "requested")
            for record in audit where record.subject == patient {
                #expect(!record.details.values.contains { $0.contains(Self.colitis) })
                #expect(!record.details.keys.contains { $0.contains("grade") || $0.contains("term") })
            }
            for event in events where event.patientRef == patient {
                #expect(!String(decoding: event.wireBytes(), as: UTF8.self).contains(Self.colitis))
            }
        }
    }
}
