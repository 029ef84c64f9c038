import Testing
import TrialAccess

@Suite("Visit at risk (transport failures)")
struct VisitAtRiskTests {
    static func report(
        _ visitID: String = "v-c", reason: VisitRiskReason = .noPartnerAvailable, trialID: String = Fixture.trialID,
        leg: String = "out"
    ) -> TrialAccessCommand.Body {
        .rideNeedsAttention(
            TransportRiskReport(
                trialID: trialID, visitID: visitID, reason: reason, bookingID: "bk-1", legID: leg,
                reasonCode: "NO_PARTNER_IN_AREA"))
    }

    @Test("a transport failure marks the planned visit at risk, emits VisitAtRisk and audits it")
    func marksPlannedVisit() throws {
        var harness = try Harness.subject(in: .onStudy)
        let outcome = try harness.ok(Harness.subject, Self.report(), eventID: "attn-1")
        #expect(outcome.kinds == ["visit-at-risk"])
        #expect(outcome.outputs.map(\.eventID) == ["attn-1/visit-at-risk/v-c"])
        let risk = try #require(outcome.visitRisks.first)
        #expect(risk.visitID == "v-c")
        #expect(risk.risk.reason == .noPartnerAvailable)
        #expect(risk.risk.bookingID == "bk-1")
        #expect(risk.risk.reasonCode == "NO_PARTNER_IN_AREA")
        #expect(risk.risk.sourceEventID == "attn-1")
        let stored = try #require(harness.enrollment(Harness.subject)?.visit(id: "v-c"))
        #expect(stored.status == .planned)
        #expect(stored.transportRisks == [risk.risk])
        let audit = try #require(outcome.audit.first)
        #expect(outcome.audit.count == 1)
        #expect(audit.auditID == "attn-1/visit-at-risk/v-c/audit")
        #expect(audit.action == .stateTransition)
        #expect(audit.subject == Harness.subject)
        #expect(audit.details["visit-id"] == "v-c")
        #expect(audit.details["visit-risk"] == "no-partner-available")
        #expect(audit.details["booking-id"] == "bk-1")
    }

    @Test("the same report again is a replay; a later report for the same leg replaces its risk")
    func replayAndLaterReport() throws {
        var harness = try Harness.subject(in: .onStudy)
        try harness.ok(Harness.subject, Self.report(), eventID: "attn-1")
        let replay = try harness.ok(Harness.subject, Self.report(), eventID: "attn-1")
        #expect(replay.outputs.isEmpty)
        #expect(replay.ignoredReason == IgnoredReason.alreadyApplied)
        let later = try harness.ok(Harness.subject, Self.report(reason: .partnerCancelled), eventID: "attn-2")
        #expect(later.visitRisks.map(\.risk.reason) == [.partnerCancelled])
        #expect(harness.enrollment(Harness.subject)?.visit(id: "v-c")?.transportRisks.map(\.reason) == [.partnerCancelled])
    }

    @Test(
        "a report for a visit not planned is ignored without output",
        arguments: ["unknown-visit", "completed", "cancelled", "other-trial"])
    func ignoredWhenNotPlanned(_ situation: String) throws {
        var harness = try Harness.subject(in: .onStudy)
        var body = Self.report()
        switch situation {
        case "unknown-visit": body = Self.report("v-none")
        case "completed":
            try harness.ok(
                Harness.subject,
                .visitCompleted(VisitCompletion(visitID: "v-c", trialID: Fixture.trialID, completedAt: harness.now)))
        case "cancelled":
            try harness.ok(
                Harness.subject,
                .visitCancelled(VisitCancellation(visitID: "v-c", trialID: Fixture.trialID, cancelledBy: .coordinator)))
        default: body = Self.report(trialID: "NCT-OTHER")
        }
        let outcome = try harness.ok(Harness.subject, body)
        #expect(outcome.outputs.isEmpty)
        #expect(outcome.audit.isEmpty)
        #expect(outcome.ignoredReason == IgnoredReason.visitNotPlanned)
    }

    @Test("a report without visit, trial or booking is refused as invalid")
    func refusesIncompleteReport() throws {
        var harness = try Harness.subject(in: .onStudy)
        for body in [Self.report(""), Self.report(trialID: "")] {
            #expect(try harness.rejected(Harness.subject, body).code == .invalidArgument)
        }
        let noBooking = TrialAccessCommand.Body.rideNeedsAttention(
            TransportRiskReport(
                trialID: Fixture.trialID, visitID: "v-c", reason: .noPartnerAvailable, bookingID: "", legID: "out",
                reasonCode: nil))
        #expect(try harness.rejected(Harness.subject, noBooking).code == .invalidArgument)
    }

    @Test("rescheduling the visit clears its transport risk")
    func rescheduleClears() throws {
        var harness = try Harness.subject(in: .onStudy)
        try harness.ok(Harness.subject, Self.report())
        let original = try #require(harness.enrollment(Harness.subject)?.visit(id: "v-c")?.visit)
        var moved = original
        moved.scheduledAt += Millis.day
        try harness.ok(Harness.subject, .visitRescheduled(VisitReschedule(visit: moved)))
        let planned = try #require(harness.enrollment(Harness.subject)?.visit(id: "v-c"))
        #expect(planned.transportRisks.isEmpty)
    }

    @Test("each leg keeps its own risk; a ride confirmed for a leg clears that leg only, emitting VisitRiskCleared")
    func confirmedRideClearsItsLeg() throws {
        var harness = try Harness.subject(in: .onStudy)
        try harness.ok(Harness.subject, Self.report(leg: "out"), eventID: "attn-out")
        try harness.ok(Harness.subject, Self.report(reason: .partnerCancelled, leg: "ret"), eventID: "attn-ret")
        #expect(harness.enrollment(Harness.subject)?.visit(id: "v-c")?.transportRisks.map(\.legID) == ["out", "ret"])

        let cleared = try harness.ok(Harness.subject, Self.confirmed(leg: "out"), eventID: "conf-out")
        #expect(cleared.kinds == ["visit-risk-cleared"])
        #expect(cleared.outputs.map(\.eventID) == ["conf-out/visit-risk-cleared/v-c"])
        #expect(
            cleared.visitRiskClearances == [
                VisitRiskClearance(
                    trialID: Fixture.trialID, visitID: "v-c", bookingID: "bk-1", legID: "out", sourceEventID: "conf-out")
            ])
        let audit = try #require(cleared.audit.first)
        #expect(audit.details["visit-risk-cleared"] == "no-partner-available")
        #expect(audit.details["leg-id"] == "out")
        let planned = try #require(harness.enrollment(Harness.subject)?.visit(id: "v-c"))
        #expect(planned.transportRisks.map(\.legID) == ["ret"], "the return leg is still at risk")
        #expect(planned.status == .planned)

        let again = try harness.ok(Harness.subject, Self.confirmed(leg: "out"), eventID: "conf-out-2")
        #expect(again.outputs.isEmpty)
        #expect(again.audit.isEmpty)
        #expect(again.ignoredReason == IgnoredReason.noRiskToClear)
        try harness.ok(Harness.subject, Self.confirmed(leg: "ret"), eventID: "conf-ret")
        #expect(harness.enrollment(Harness.subject)?.visit(id: "v-c")?.transportRisks == [])
    }

    @Test("a confirmed ride of another booking, or one without booking or leg, clears nothing")
    func confirmationOfAnotherBooking() throws {
        var harness = try Harness.subject(in: .onStudy)
        try harness.ok(Harness.subject, Self.report(leg: "out"), eventID: "attn-out")
        let other = try harness.ok(
            Harness.subject, .rideConfirmed(ConfirmedRide(bookingID: "bk-2", legID: "out")), eventID: "conf-other")
        #expect(other.outputs.isEmpty)
        #expect(other.ignoredReason == IgnoredReason.noRiskToClear)
        for body in [
            TrialAccessCommand.Body.rideConfirmed(ConfirmedRide(bookingID: "", legID: "out")),
            .rideConfirmed(ConfirmedRide(bookingID: "bk-1", legID: "")),
        ] {
            #expect(try harness.rejected(Harness.subject, body).code == .invalidArgument)
        }
        #expect(harness.enrollment(Harness.subject)?.visit(id: "v-c")?.transportRisks.map(\.legID) == ["out"])
    }

    @Test("a grade 4 report cancels the dosing visits and their transport risks with them")
    func discontinuationClearsTheCancelledVisitsRisks() throws {
        var harness = try AdverseEventTests.onStudy()
        try harness.ok(Harness.subject, Self.report("v-c2", trialID: Fixture.trialID), eventID: "attn-c2")
        try harness.ok(Harness.subject, Self.report("v-eot", trialID: Fixture.trialID), eventID: "attn-eot")
        try harness.ok(Harness.subject, AdverseEventTests.report(grade: 4), eventID: "ae-4")
        let enrollment = try #require(harness.enrollment(Harness.subject))
        #expect(enrollment.visit(id: "v-c2")?.status == .cancelled)
        #expect(enrollment.visit(id: "v-c2")?.transportRisks == [])
        #expect(enrollment.visit(id: "v-eot")?.transportRisks.map(\.legID) == ["out"], "EOT stays planned and at risk")
    }

    static func confirmed(leg: String) -> TrialAccessCommand.Body {
        .rideConfirmed(ConfirmedRide(bookingID: "bk-1", legID: leg))
    }

    @Test("VisitPlanned gives OUTSIDE_PROTOCOL_WINDOW as the reason exactly when the window is at risk")
    func windowRiskReason() throws {
        var harness = try Harness.subject(in: .eligible)
        var late = Fixture.visit("v-late", days: 5)
        late.scheduledAt = late.protocolWindow.endAt + Millis.hour
        let outside = try harness.ok(Harness.subject, .visitScheduled(late))
        let inside = try harness.ok(Harness.subject, .visitScheduled(Fixture.visit("v-in", days: 6)))
        #expect(outside.plannedVisits.map(\.windowRiskReason) == [.outsideProtocolWindow])
        #expect(inside.plannedVisits.map(\.windowRiskReason) == [nil])
    }

    @Test("VisitRiskReason numbers follow trial_access.proto")
    func protoNumbers() {
        #expect(VisitRiskReason.allCases.map(\.protoNumber) == [1, 2, 3, 4])
        #expect(VisitRiskReason(protoNumber: 2) == .noPartnerAvailable)
        #expect(VisitRiskReason(protoNumber: 0) == nil)
    }
}
