import Foundation
import Testing
import TrialAccess

@Suite("Determinism and replays")
struct DeterminismTests {
    @Test("the same input on the same state yields the same decision, ids included")
    func sameInputSameDecision() throws {
        let harness = try WaitlistTests.queue()
        let command = TrialAccessCommand(
            eventID: "wd-x", patientRef: "holder", occurredAt: harness.now,
            body: .patientWithdrawn(
                PatientWithdrawal(trialID: Fixture.trialID, reason: .other, withdrawnAt: harness.now)))
        var first = harness.ledger
        var second = harness.ledger
        let one = try TrialAccessEngine.handle(
            command, repository: harness.store, catalog: harness.catalog, ledger: &first, now: harness.now
        ).get()
        let two = try TrialAccessEngine.handle(
            command, repository: harness.store, catalog: harness.catalog, ledger: &second, now: harness.now
        ).get()
        #expect(one == two)
        #expect(first == second)
        #expect(Set(one.outputs.map(\.eventID)).count == one.outputs.count)
        #expect(one.outputs.allSatisfy { $0.eventID.hasPrefix("wd-x/") && $0.sourceEventID == "wd-x" })
    }

    @Test("an input an enrollment already recorded is a no-op")
    func replay() throws {
        var harness = try Harness.standard()
        try harness.ok(Harness.subject, .patientReferred(Fixture.referral()), eventID: "ref-evt")
        let stored = harness.enrollment(Harness.subject)
        let again = try harness.ok(Harness.subject, .patientReferred(Fixture.referral()), eventID: "ref-evt")
        #expect(again.ignoredReason == IgnoredReason.alreadyApplied)
        #expect(again.outputs.isEmpty && again.enrollments.isEmpty)
        #expect(harness.enrollment(Harness.subject) == stored)
        #expect(harness.inUse("A") == 1)
    }

    @Test("an enrollment survives a JSON round trip and counts its revisions")
    func codableAggregates() throws {
        let harness = try Harness.subject(in: .followUp)
        let enrollment = try #require(harness.enrollment(Harness.subject))
        let decoded = try JSONDecoder().decode(Enrollment.self, from: JSONEncoder().encode(enrollment))
        #expect(decoded == enrollment)
        #expect(enrollment.revision == Int64(enrollment.appliedEventIDs.count))
        let list = try #require(try WaitlistTests.queue().store.waitlist(trialID: Fixture.trialID))
        #expect(try JSONDecoder().decode(Waitlist.self, from: JSONEncoder().encode(list)) == list)
    }

    @Test("an empty event id or patient ref is INVALID_ARGUMENT")
    func envelopeChecks() throws {
        var harness = try Harness.standard()
        for (eventID, patient) in [("", "p1"), ("e1", "")] {
            let command = TrialAccessCommand(
                eventID: eventID, patientRef: patient, body: .patientReferred(Fixture.referral()))
            guard case .failure(let rejection) = try harness.run(command) else {
                Issue.record("expected a rejection")
                continue
            }
            #expect(rejection.code == .invalidArgument)
        }
    }

    @Test("each kind of refusal carries the gRPC status and dead-letter code of the contract")
    func rejectionMapping() throws {
        var harness = try Harness.subject(in: .offStudy)
        let forbidden = try harness.rejected(Harness.subject, TableEvent.withdrawal.body(harness))
        let unknown = try harness.rejected("pt-unknown", TableEvent.withdrawal.body(harness))
        let malformed = try harness.rejected(
            Harness.subject, .visitCompleted(VisitCompletion(visitID: "", trialID: "", completedAt: 0)))
        var active = try Harness.subject(in: .onStudy)
        var conflicting = Fixture.visit("v-c", code: "C9D9", days: 10)
        conflicting.durationMinutes = 30
        let duplicate = try active.rejected(Harness.subject, .visitScheduled(conflicting))
        let refusals = [forbidden, unknown, malformed, duplicate]
        #expect(refusals.map(\.code) == [.invalidTransition, .notFound, .invalidArgument, .alreadyExists])
        #expect(refusals.map(\.code.grpcStatus) == [9, 5, 3, 6])
        #expect(
            refusals.map(\.code.dlqErrorCode) == [
                "INVALID_TRANSITION", "UNKNOWN_REFERENCE", "INVALID", "ALREADY_EXISTS",
            ])
        #expect(forbidden.state == .offStudy)
    }

    @Test("proto enum numbers round-trip for every mirrored enum")
    func protoNumbers() {
        #expect(EnrollmentState.allCases.allSatisfy { EnrollmentState(protoNumber: $0.protoNumber) == $0 })
        #expect(Set(EnrollmentState.allCases.map(\.protoNumber)) == Set(1...11))
        #expect(ConsentScope.allCases.allSatisfy { ConsentScope(protoNumber: $0.protoNumber) == $0 })
        #expect(TrialPhase.allCases.allSatisfy { TrialPhase(protoNumber: $0.protoNumber) == $0 })
        #expect(Comparison.allCases.allSatisfy { Comparison(protoNumber: $0.protoNumber) == $0 })
        #expect(EnrollmentState(protoNumber: 0) == nil)
        #expect(WithdrawalReason(protoNumber: 0) == .other)
    }
}
