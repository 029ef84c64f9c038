import Testing
import TrialAccess

@Suite("Consent and travel")
struct ConsentTests {
    @Test(
        "a planned visit needs travel only with TRANSPORT consent and a travel request",
        arguments: [(true, true), (true, false), (false, true), (false, false)])
    func travelNeedsConsentAndRequest(_ consented: Bool, _ requested: Bool) throws {
        var harness = try Harness.standard()
        let referral = Fixture.referral(
            consents: consented ? [Fixture.consent(.transport, trialID: nil)] : [], wantsTravel: requested)
        try harness.ok(Harness.subject, .patientReferred(referral))
        let outcome = try harness.ok(Harness.subject, .visitScheduled(Fixture.visit("v-1", days: 5)))
        #expect(outcome.travelNeeds.count == (consented && requested ? 1 : 0))
        #expect(harness.enrollment(Harness.subject)?.visit(id: "v-1")?.travelRequested == (consented && requested))
    }

    @Test("TravelNeeded carries the visit, the site as drop-off and the referral's ride facts, no pickup")
    func travelNeedContent() throws {
        var harness = try VisitPlanTests.travelling()
        let visit = Fixture.visit("v-1", days: 5)
        let outcome = try harness.ok(Harness.subject, .visitScheduled(visit))
        let need = try #require(outcome.travelNeeds.first)
        #expect(need.visit == visit)
        #expect(need.destination == SiteLocation(point: Place.amsterdam, addressText: "Street 1, entrance A"))
        #expect(need.mobility == .wheelchair)
        #expect(need.companions == 1)
        #expect(need.language == "nl")
    }

    @Test("a travel request's own ride facts override the referral's")
    func travelRequestOverrides() throws {
        var harness = try Harness.standard()
        try harness.ok(Harness.subject, .patientReferred(Fixture.referral(consents: [Fixture.consent(.transport)])))
        try harness.ok(Harness.subject, .visitScheduled(Fixture.visit("v-1", days: 5)))
        let request = TravelAssistanceRequest(
            requestID: "tr-1", trialID: Fixture.trialID, visitID: "v-1", mobility: .stretcher, companions: 0)
        let outcome = try harness.ok(Harness.subject, .travelAssistanceRequested(request))
        let need = try #require(outcome.travelNeeds.first)
        #expect(need.mobility == .stretcher)
        #expect(need.companions == 0)
        #expect(need.language == "nl")
    }

    @Test("TRANSPORT consent given later sends travel for upcoming planned visits only")
    func transportConsentLater() throws {
        var harness = try Harness.standard()
        try harness.ok(Harness.subject, .patientReferred(Fixture.referral(wantsTravel: true)))
        var past = Fixture.visit("v-past", days: 0)
        past.scheduledAt = harness.now - Millis.hour
        try harness.ok(Harness.subject, .visitScheduled(past))
        try harness.ok(Harness.subject, .visitScheduled(Fixture.visit("v-1", days: 5)))
        let outcome = try harness.ok(Harness.subject, .consentRecorded(Fixture.consent(.transport, at: harness.now)))
        #expect(outcome.travelNeeds.map(\.visit.visitID) == ["v-1"])
    }

    @Test("withdrawing TRANSPORT consent retracts every outstanding travel; later visits get none")
    func transportWithdrawal() throws {
        var harness = try VisitPlanTests.travelling()
        try harness.ok(Harness.subject, .visitScheduled(Fixture.visit("v-1", days: 5)))
        try harness.ok(Harness.subject, .visitScheduled(Fixture.visit("v-2", days: 8)))
        let outcome = try harness.ok(
            Harness.subject,
            .consentWithdrawn(ConsentWithdrawal(scope: .transport, trialID: nil, withdrawnAt: harness.now)))
        #expect(outcome.travelRetractions.map(\.visitID) == ["v-1", "v-2"])
        #expect(outcome.travelRetractions.allSatisfy { $0.reason == .consentWithdrawn })
        #expect(harness.state(Harness.subject) == .eligible)
        #expect(harness.enrollment(Harness.subject)?.holdsConsent(.transport) == false)
        let later = try harness.ok(Harness.subject, .visitScheduled(Fixture.visit("v-3", days: 12)))
        #expect(later.travelNeeds.isEmpty)
    }

    @Test("withdrawing PARTICIPATION cascades: withdrawn, slot released, travel retracted, next patient promoted")
    func participationWithdrawal() throws {
        var harness = try VisitPlanTests.travelling()
        try harness.ok(Harness.subject, .consentRecorded(Fixture.consent(.participation, at: harness.now)))
        try harness.ok(Harness.subject, .visitScheduled(Fixture.visit("v-1", days: 5)))
        try harness.ok(Harness.other, .patientReferred(Fixture.referral()))
        #expect(harness.state(Harness.other) == .waitlisted)
        let outcome = try harness.ok(
            Harness.subject,
            .consentWithdrawn(
                ConsentWithdrawal(scope: .participation, trialID: Fixture.trialID, withdrawnAt: harness.now)))
        let subject = try #require(harness.enrollment(Harness.subject))
        #expect(subject.state == .withdrawn)
        #expect(subject.withdrawalReason == .consentWithdrawn)
        #expect(outcome.releases.map(\.reason) == [.patientWithdrawn])
        #expect(outcome.travelRetractions.map(\.reason) == [.patientWithdrawn])
        #expect(harness.state(Harness.other) == .eligible)
        #expect(harness.inUse("A") == 1)
        #expect(Set(outcome.outputs.map(\.patientRef)) == [Harness.subject, Harness.other])
    }

    @Test("a consent without a trial applies to every enrollment of the patient")
    func consentAcrossTrials() throws {
        var harness = try Harness([
            Fixture.trial("NCT-A", sites: [Fixture.site("A", Place.amsterdam, capacity: 1)]),
            Fixture.trial("NCT-U", sites: [Fixture.site("U", Place.utrecht, capacity: 1)]),
        ])
        try harness.ok(Harness.subject, .patientReferred(Fixture.referral(trialID: "NCT-A", wantsTravel: true)))
        try harness.ok(
            Harness.subject, .patientReferred(Fixture.referral(id: "ref-u", trialID: "NCT-U", wantsTravel: true)))
        try harness.ok(Harness.subject, .visitScheduled(Fixture.visit("va", days: 5, site: "A", trialID: "NCT-A")))
        try harness.ok(Harness.subject, .visitScheduled(Fixture.visit("vu", days: 6, site: "U", trialID: "NCT-U")))
        let granted = try harness.ok(
            Harness.subject, .consentRecorded(Fixture.consent(.transport, trialID: nil, at: harness.now)), eventID: "c1"
        )
        #expect(granted.travelNeeds.map(\.visit.visitID).sorted() == ["va", "vu"])
        #expect(Set(granted.outputs.map(\.eventID)) == ["c1/NCT-A/travel-needed/va", "c1/NCT-U/travel-needed/vu"])
        let withdrawn = try harness.ok(
            Harness.subject, .consentWithdrawn(ConsentWithdrawal(scope: .transport, withdrawnAt: harness.now)))
        #expect(withdrawn.travelRetractions.map(\.visitID).sorted() == ["va", "vu"])
    }

    @Test("a consent granted after the withdrawal time is kept")
    func withdrawalBeforeRegrant() throws {
        var harness = try Harness.standard()
        let regrantedAt = Fixture.t0 + Millis.day
        try harness.ok(
            Harness.subject,
            .patientReferred(Fixture.referral(consents: [Fixture.consent(.transport, at: regrantedAt)])))
        let outcome = try harness.ok(
            Harness.subject,
            .consentWithdrawn(
                ConsentWithdrawal(scope: .transport, trialID: Fixture.trialID, withdrawnAt: regrantedAt - 1)))
        #expect(outcome.ignoredReason == IgnoredReason.consentNotHeld)
        #expect(harness.enrollment(Harness.subject)?.holdsConsent(.transport) == true)
    }

    @Test("a newer consent version replaces the held one; an older one is ignored")
    func consentVersions() throws {
        var harness = try Harness.standard()
        try harness.ok(
            Harness.subject,
            .patientReferred(
                Fixture.referral(consents: [Fixture.consent(.dataSharing, at: Fixture.t0, version: "DS-1")])))
        try harness.ok(
            Harness.subject, .consentRecorded(Fixture.consent(.dataSharing, at: Fixture.t0 + 10, version: "DS-2")))
        let stale = try harness.ok(
            Harness.subject, .consentRecorded(Fixture.consent(.dataSharing, at: Fixture.t0 + 5, version: "DS-1b")))
        #expect(stale.ignoredReason == IgnoredReason.staleConsent)
        #expect(harness.enrollment(Harness.subject)?.consents.map(\.version) == ["DS-2"])
    }

    @Test("PARTICIPATION consent starts screening and cancels the expiry timer")
    func participationStartsScreening() throws {
        var harness = try Harness.subject(in: .eligible)
        let outcome = try harness.ok(
            Harness.subject, .consentRecorded(Fixture.consent(.participation, at: harness.now)))
        let enrollment = try #require(harness.enrollment(Harness.subject))
        #expect(enrollment.state == .screening)
        #expect(enrollment.slot?.expiresAt == nil)
        #expect(enrollment.slot != nil)
        #expect(
            outcome.timers == [
                .cancel(timerID: ReservationTimer.id(patientRef: Harness.subject, trialID: Fixture.trialID))
            ])
        #expect(outcome.statusChanges.first?.reasonCodes == ["PARTICIPATION_CONSENTED"])
    }

    @Test("PARTICIPATION consent given with the referral goes straight to screening without a timer")
    func participationAtReferral() throws {
        var harness = try Harness.standard()
        let outcome = try harness.ok(
            Harness.subject, .patientReferred(Fixture.referral(consents: [Fixture.consent(.participation)])))
        #expect(outcome.statusChanges.map(\.state) == [.eligible, .screening])
        #expect(outcome.timers.isEmpty)
        #expect(harness.inUse("A") == 1)
    }

    @Test("PARTICIPATION consent without a trial is INVALID_ARGUMENT; a consent for an unknown enrollment NOT_FOUND")
    func consentRefusals() throws {
        var harness = try Harness.subject(in: .eligible)
        let noTrial = try harness.rejected(
            Harness.subject, .consentRecorded(Fixture.consent(.participation, trialID: nil)))
        #expect(noTrial.code == .invalidArgument)
        let otherTrial = try harness.rejected(
            Harness.subject, .consentRecorded(Fixture.consent(.transport, trialID: "NCT-OTHER")))
        #expect(otherTrial.code == .notFound)
        let unknownPatient = try harness.rejected(
            "pt-unknown", .consentRecorded(Fixture.consent(.contact, trialID: nil)))
        #expect(unknownPatient.code == .notFound)
    }

    @Test("a cancelled travel request stops travel for its visits without emitting anything")
    func travelRequestCancelled() throws {
        var harness = try Harness.standard()
        try harness.ok(Harness.subject, .patientReferred(Fixture.referral(consents: [Fixture.consent(.transport)])))
        try harness.ok(
            Harness.subject,
            .travelAssistanceRequested(TravelAssistanceRequest(requestID: "tr-1", trialID: Fixture.trialID)))
        try harness.ok(Harness.subject, .visitScheduled(Fixture.visit("v-1", days: 5)))
        try harness.ok(Harness.subject, .visitScheduled(Fixture.visit("v-2", days: 7)))
        let cancelled = try harness.ok(
            Harness.subject, .travelAssistanceCancelled(TravelAssistanceCancellation(requestID: "tr-1", visitID: "v-1"))
        )
        #expect(cancelled.outputs.isEmpty)
        let moved = try harness.ok(
            Harness.subject, .visitRescheduled(VisitReschedule(visit: Fixture.visit("v-1", days: 6))))
        #expect(moved.travelNeeds.isEmpty)
        #expect(moved.travelRetractions.isEmpty)
        let other = try harness.ok(
            Harness.subject, .visitRescheduled(VisitReschedule(visit: Fixture.visit("v-2", days: 8))))
        #expect(other.travelNeeds.map(\.visit.visitID) == ["v-2"])
        let unknown = try harness.ok(
            Harness.subject, .travelAssistanceCancelled(TravelAssistanceCancellation(requestID: "tr-9")))
        #expect(unknown.ignoredReason == IgnoredReason.unknownTravelRequest)
    }

    @Test("an erasure request is audited; the enrollment never held a home location or clinical values")
    func erasure() throws {
        var harness = try Harness.standard()
        let home = GeoPoint(latitude: 52.41, longitude: 4.87)
        try harness.ok(Harness.subject, .patientReferred(Fixture.referral(home: home)))
        let outcome = try harness.ok(
            Harness.subject, .patientDataErasureRequested(erasureRequestID: "er-1"), eventID: "erase-1")
        #expect(outcome.audit.map(\.action) == [.erasure])
        #expect(outcome.audit.first?.details["erasure-request-id"] == "er-1")
        #expect(outcome.enrollments.isEmpty)
        let stored = String(describing: harness.enrollment(Harness.subject))
        #expect(!stored.contains("52.41"))
        #expect(!stored.contains("C34.1"))
        #expect(!stored.contains("PDL1"))
        #expect(!stored.contains("PLATINUM"))
    }
}
