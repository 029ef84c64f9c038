import Foundation
import Testing
import TransitKafka
import TransitWire

/// Immunotherapy criteria end to end: a catalogue record on `trial.catalog.v1` carries them, the
/// trial-access worker (local broker, SQLite store) evaluates referrals against them, and its
/// decisions name the criterion.
@Suite("trial-access worker: immunotherapy criteria", .serialized, .timeLimit(.minutes(5)))
struct ImmunotherapyFlowTests {
    @Test("a PD-L1 below the threshold names PDL1:TPS; a missing ANC needs review naming LAB:ANC")
    func criteriaNamedInDecisions() async throws {
        // The start-up file has no room, so a first patient waits; the catalogue record that
        // brings the immunotherapy criteria also opens a slot, and that patient's promotion is
        // the sentinel that the record has been applied before the tested referrals arrive.
        try await withWorker("immuno", capacityA: 0) { topics, _ in
            let sentinel = TestBroker.unique("pt-sentinel")
            try await TestBroker.publish([Fixture.referral(sentinel)], topics: topics)
            _ = try await TestBroker.events(topics) { $0.latestState(of: sentinel) == .waitlisted }

            var record = Fixture.catalogRecord(capacityA: 1, updatedAt: Fixture.now)
            record.criteria = ImmunoWire.firstLineNSCLC
            try await TestBroker.publish([
                KafkaProducerMessage(topic: topics.trialCatalog, key: TestCatalog.trialID, value: record.wireBytes())
            ])
            _ = try await TestBroker.events(topics) { $0.latestState(of: sentinel) == .eligible }

            let lowPDL1 = TestBroker.unique("pt-pdl1")
            let noANC = TestBroker.unique("pt-anc")
            let now = Fixture.now
            let failing = ImmunoWire.meetingFacts(Fixture.referred(), now: now, tps: 30)
            var missing = ImmunoWire.meetingFacts(Fixture.referred(), now: now)
            missing.labResults.removeAll { $0.code == "ANC" }
            try await TestBroker.publish(
                [Fixture.referral(lowPDL1, failing), Fixture.referral(noANC, missing)], topics: topics)

            let events = try await TestBroker.events(topics) {
                $0.latestState(of: lowPDL1) != nil && $0.latestState(of: noANC) != nil
            }
            let ineligible = try #require(events.statusChanges(of: lowPDL1).last)
            #expect(ineligible.state == .ineligible)
            #expect(ineligible.reasonCodes == ["PDL1:TPS"])
            let review = try #require(events.statusChanges(of: noANC).last)
            #expect(review.state == .needsReview)
            #expect(review.reasonCodes == ["LAB:ANC"])
            #expect(events.slotsReserved(for: lowPDL1).isEmpty && events.slotsReserved(for: noANC).isEmpty)

            // The review is on the coordinator's worklist; marking it handled closes it, audited.
            let item = "\(TestCatalog.trialID)/\(noANC)"
            let list = try await cli(["attention", "list", "--topic-prefix", topics.prefix])
            let line = try #require(list.split(separator: "\n").first { $0.contains(item) }, "\(list)")
            #expect(line.hasPrefix("review"))
            #expect(line.contains("NEEDS_REVIEW") && line.contains("LAB:ANC"))
            #expect(!list.contains(lowPDL1), "an ineligible referral needs no review")
            let shown = try await cli(["attention", "show", item, "--topic-prefix", topics.prefix])
            #expect(shown.contains("\"patient_ref\":\"\(noANC)\"") && shown.contains("\"reason_code\":\"LAB:ANC\""))
            let resolved = try await cli([
                "attention", "resolve", item, "--handled", "--actor", "ops:reviewer-test", "--topic-prefix", topics.prefix,
            ])
            #expect(resolved == "\(item): handled")
            #expect(
                try await cliFails(["attention", "resolve", item, "--handled", "--topic-prefix", topics.prefix]),
                "a handled item is no longer open")
            let audit = try await TestBroker.auditRecords(topics) { records in
                records.contains { $0.actor == "ops:reviewer-test" }
            }
            let handled = try #require(audit.first { $0.actor == "ops:reviewer-test" })
            #expect(handled.action == .manual)
            #expect(handled.subject == noANC)
            #expect(handled.details["attention-resolution"] == "handled")
            let after = try await cli(["attention", "list", "--topic-prefix", topics.prefix])
            #expect(!after.contains(item))
        }
    }
}
