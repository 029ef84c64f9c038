import Testing
import TrialAccess

@Suite("Visit plan")
struct VisitPlanTests {
    /// An eligible subject holding TRANSPORT consent and asking for rides to every visit.
    static func travelling() throws -> Harness {
        var harness = try Harness.standard()
        try harness.ok(
            Harness.subject,
            .patientReferred(Fixture.referral(consents: [Fixture.consent(.transport)], wantsTravel: true)))
        return harness
    }

    @Test("a visit inside its window is planned without a risk flag")
    func scheduledInWindow() throws {
        var harness = try Harness.subject(in: .eligible)
        let outcome = try harness.ok(
            Harness.subject, .visitScheduled(Fixture.visit("v-1", days: 5)), eventID: "sched-1")
        #expect(outcome.plannedVisits.map(\.windowAtRisk) == [false])
        #expect(outcome.plannedVisits.first?.previousScheduledAt == nil)
        #expect(outcome.outputs.map(\.eventID) == ["sched-1/visit-planned/v-1"])
        let planned = try #require(harness.enrollment(Harness.subject)?.visit(id: "v-1"))
        #expect(planned.status == .planned)
        #expect(planned.destination.point == Place.amsterdam)
    }

    @Test("a visit booked outside its window is flagged at risk")
    func scheduledOutsideWindow() throws {
        var harness = try Harness.subject(in: .eligible)
        var visit = Fixture.visit("v-1", days: 5)
        visit.scheduledAt = visit.protocolWindow.endAt + Millis.hour
        let outcome = try harness.ok(Harness.subject, .visitScheduled(visit))
        #expect(outcome.plannedVisits.map(\.windowAtRisk) == [true])
        #expect(harness.enrollment(Harness.subject)?.visit(id: "v-1")?.windowAtRisk == true)
    }

    @Test("a reschedule outside the window given at scheduling is flagged; back inside clears it")
    func rescheduleWindow() throws {
        var harness = try Harness.subject(in: .onStudy)
        let original = try #require(harness.enrollment(Harness.subject)?.visit(id: "v-c")?.visit)
        var late = original
        late.scheduledAt = original.protocolWindow.endAt + Millis.days(2)
        late.protocolWindow = TimeWindow(startAt: late.scheduledAt - Millis.day, endAt: late.scheduledAt + Millis.day)
        let moved = try harness.ok(
            Harness.subject, .visitRescheduled(VisitReschedule(visit: late, reasonCode: "SITE_CAPACITY")))
        let plan = try #require(moved.plannedVisits.first)
        #expect(plan.windowAtRisk)
        #expect(plan.previousScheduledAt == original.scheduledAt)
        #expect(plan.visit.protocolWindow == original.protocolWindow)
        var back = original
        back.scheduledAt = original.protocolWindow.startAt
        let restored = try harness.ok(Harness.subject, .visitRescheduled(VisitReschedule(visit: back)))
        #expect(restored.plannedVisits.map(\.windowAtRisk) == [false])
        #expect(restored.plannedVisits.first?.previousScheduledAt == late.scheduledAt)
    }

    @Test("a moved visit retracts its travel, is planned again and needs travel again, in that order")
    func rescheduleWithTravel() throws {
        var harness = try Self.travelling()
        try harness.ok(Harness.subject, .visitScheduled(Fixture.visit("v-1", days: 5)))
        var moved = Fixture.visit("v-1", days: 6)
        moved.siteID = "B"
        let outcome = try harness.ok(
            Harness.subject, .visitRescheduled(VisitReschedule(visit: moved)), eventID: "move-1")
        #expect(outcome.kinds == ["travel-cancelled", "visit-planned", "travel-needed"])
        #expect(outcome.travelRetractions.map(\.reason) == [.visitRescheduled])
        #expect(outcome.travelNeeds.first?.visit.scheduledAt == moved.scheduledAt)
        #expect(outcome.travelNeeds.first?.destination.point == Place.utrecht)
        #expect(
            outcome.outputs.map(\.eventID) == [
                "move-1/travel-cancelled/v-1", "move-1/visit-planned/v-1", "move-1/travel-needed/v-1",
            ])
    }

    @Test("a cancelled visit retracts its travel; cancelling again changes nothing; it cannot be completed")
    func cancel() throws {
        var harness = try Self.travelling()
        try harness.ok(Harness.subject, .visitScheduled(Fixture.visit("v-1", days: 5)))
        let cancel = TrialAccessCommand.Body.visitCancelled(
            VisitCancellation(visitID: "v-1", trialID: Fixture.trialID, cancelledBy: .coordinator))
        let outcome = try harness.ok(Harness.subject, cancel)
        #expect(
            outcome.travelRetractions == [
                TravelRetraction(visitID: "v-1", trialID: Fixture.trialID, reason: .visitCancelled)
            ])
        #expect(harness.enrollment(Harness.subject)?.visit(id: "v-1")?.status == .cancelled)
        let cancelledAgain = try harness.ok(Harness.subject, cancel)
        #expect(cancelledAgain.ignoredReason == IgnoredReason.visitUnchanged)
        let complete = TrialAccessCommand.Body.visitCompleted(
            VisitCompletion(visitID: "v-1", trialID: Fixture.trialID, completedAt: harness.now))
        let completion = try harness.rejected(Harness.subject, complete)
        #expect(completion.code == .invalidTransition)
    }

    @Test("a completed visit leaves the open plan without a retraction")
    func complete() throws {
        var harness = try Self.travelling()
        try harness.ok(Harness.subject, .visitScheduled(Fixture.visit("v-1", days: 5)))
        let outcome = try harness.ok(
            Harness.subject,
            .visitCompleted(VisitCompletion(visitID: "v-1", trialID: Fixture.trialID, completedAt: harness.now)))
        #expect(outcome.outputs.isEmpty)
        let enrollment = try #require(harness.enrollment(Harness.subject))
        #expect(enrollment.openVisits.isEmpty)
        #expect(enrollment.visit(id: "v-1")?.travelRequested == false)
    }

    @Test("the same visit again is a no-op; other content under its id is ALREADY_EXISTS")
    func duplicates() throws {
        var harness = try Harness.subject(in: .eligible)
        let visit = Fixture.visit("v-1", days: 5)
        try harness.ok(Harness.subject, .visitScheduled(visit))
        let sameAgain = try harness.ok(Harness.subject, .visitScheduled(visit))
        #expect(sameAgain.ignoredReason == IgnoredReason.visitUnchanged)
        var other = visit
        other.visitCode = "C3D1"
        let conflicting = try harness.rejected(Harness.subject, .visitScheduled(other))
        #expect(conflicting.code == .alreadyExists)
    }

    @Test("unknown visits and sites are NOT_FOUND, malformed visits INVALID_ARGUMENT")
    func refusals() throws {
        var harness = try Harness.subject(in: .eligible)
        let unknownVisit = try harness.rejected(
            Harness.subject, .visitRescheduled(VisitReschedule(visit: Fixture.visit("v-x"))))
        #expect(unknownVisit.code == .notFound)
        let unknownSite = try harness.rejected(Harness.subject, .visitScheduled(Fixture.visit("v-2", site: "ZZ")))
        #expect(unknownSite.code == .notFound)
        var inverted = Fixture.visit("v-3")
        inverted.protocolWindow = TimeWindow(startAt: inverted.scheduledAt, endAt: inverted.scheduledAt - 1)
        let invertedWindow = try harness.rejected(Harness.subject, .visitScheduled(inverted))
        #expect(invertedWindow.code == .invalidArgument)
        let unknownPatient = try harness.rejected("pt-unknown", .visitScheduled(Fixture.visit("v-4")))
        #expect(unknownPatient.code == .notFound)
    }

    @Test("custom end-of-treatment and end-of-study codes drive the state")
    func customVisitCodes() throws {
        var harness = try Harness.subject(in: .onStudy)
        harness.config = TrialAccessConfig(endOfTreatmentVisitCodes: ["C2D1"], endOfStudyVisitCodes: ["FU-M12"])
        try harness.ok(
            Harness.subject,
            .visitCompleted(VisitCompletion(visitID: "v-c", trialID: Fixture.trialID, completedAt: harness.now)))
        #expect(harness.state(Harness.subject) == .followUp)
        try harness.ok(
            Harness.subject,
            .visitCompleted(VisitCompletion(visitID: "v-eos", trialID: Fixture.trialID, completedAt: harness.now)))
        #expect(harness.state(Harness.subject) == .followUp)
        try harness.ok(Harness.subject, .visitScheduled(Fixture.visit("v-fu", code: "fu-m12", days: 40)))
        try harness.ok(
            Harness.subject,
            .visitCompleted(VisitCompletion(visitID: "v-fu", trialID: Fixture.trialID, completedAt: harness.now)))
        #expect(harness.state(Harness.subject) == .offStudy)
        #expect(harness.enrollment(Harness.subject)?.openVisits.isEmpty == true)
    }

    @Test("withdrawal cancels every open visit and retracts its travel")
    func withdrawalCancelsPlan() throws {
        var harness = try Self.travelling()
        try harness.ok(Harness.subject, .visitScheduled(Fixture.visit("v-1", days: 5)))
        try harness.ok(Harness.subject, .visitScheduled(Fixture.visit("v-2", days: 9)))
        let outcome = try harness.ok(
            Harness.subject,
            .patientWithdrawn(
                PatientWithdrawal(trialID: Fixture.trialID, reason: .adverseEvent, withdrawnAt: harness.now)))
        #expect(outcome.travelRetractions.map(\.visitID) == ["v-1", "v-2"])
        #expect(outcome.travelRetractions.allSatisfy { $0.reason == .patientWithdrawn })
        #expect(harness.enrollment(Harness.subject)?.visits.allSatisfy { $0.status == .cancelled } == true)
    }

    @Test("a lapsed slot cancels the visits planned while eligible")
    func expiryCancelsPlan() throws {
        var harness = try Self.travelling()
        try harness.ok(Harness.subject, .visitScheduled(Fixture.visit("v-1", days: 5)))
        let slot = try #require(harness.enrollment(Harness.subject)?.slot)
        let outcome = try harness.ok(
            Harness.subject, .reservationExpired(ReservationExpiry(trialID: Fixture.trialID, slotID: slot.slotID)))
        #expect(harness.state(Harness.subject) == .needsReview)
        #expect(outcome.travelRetractions.map(\.reason) == [.visitCancelled])
        #expect(harness.enrollment(Harness.subject)?.openVisits.isEmpty == true)
    }
}
