import TransitWire
import TrialAccess

extension EnrollmentEvent {
    /// The domain command of this `enrollment.events.v1` event (the body must be set).
    func command() throws(WireMappingError) -> TrialAccessCommand {
        guard let body else { throw .missing("body") }
        let command: TrialAccessCommand.Body
        switch body {
        case .patientReferred(let referred):
            command = .patientReferred(referred.referral)
        case .consentRecorded(let recorded):
            guard let consent = recorded.consent else { throw .missing("consent_recorded.consent") }
            command = .consentRecorded(try consent.domain(field: "consent_recorded.consent"))
        case .consentWithdrawn(let withdrawn):
            guard let scope = withdrawn.scope.domain else { throw .unspecified("consent_withdrawn.scope") }
            command = .consentWithdrawn(
                ConsentWithdrawal(
                    scope: scope, trialID: withdrawn.trialId.givenOrNil, withdrawnAt: withdrawn.withdrawnAt))
        case .screeningCompleted(let completed):
            guard let outcome = completed.outcome.domain else { throw .unspecified("screening_completed.outcome") }
            command = .screeningCompleted(
                ScreeningResult(
                    trialID: completed.trialId, siteID: completed.siteId, outcome: outcome,
                    failedCriteria: completed.failedCriteria, screenedAt: completed.screenedAt))
        case .enrollmentConfirmed(let confirmed):
            command = .enrollmentConfirmed(
                EnrollmentConfirmation(
                    trialID: confirmed.trialId, siteID: confirmed.siteId.givenOrNil,
                    armCode: confirmed.armCode.givenOrNil, enrolledAt: confirmed.enrolledAt))
        case .visitScheduled(let scheduled):
            guard let visit = scheduled.visit else { throw .missing("visit_scheduled.visit") }
            command = .visitScheduled(visit.domain)
        case .visitRescheduled(let rescheduled):
            guard let visit = rescheduled.visit else { throw .missing("visit_rescheduled.visit") }
            command = .visitRescheduled(
                VisitReschedule(visit: visit.domain, reasonCode: rescheduled.reasonCode.givenOrNil))
        case .visitCancelled(let cancelled):
            command = .visitCancelled(
                VisitCancellation(
                    visitID: cancelled.visitId, trialID: cancelled.trialId, cancelledBy: cancelled.cancelledBy.domain,
                    reasonCode: cancelled.reasonCode.givenOrNil))
        case .visitCompleted(let completed):
            command = .visitCompleted(
                VisitCompletion(
                    visitID: completed.visitId, trialID: completed.trialId, completedAt: completed.completedAt))
        case .patientWithdrawn(let withdrawn):
            command = .patientWithdrawn(
                PatientWithdrawal(
                    trialID: withdrawn.trialId, reason: withdrawn.reason.domain, withdrawnAt: withdrawn.withdrawnAt))
        case .waitlistSlotOffered(let offered):
            command = .waitlistSlotOffered(WaitlistSlotOffer(trialID: offered.trialId, siteID: offered.siteId))
        case .adverseEventReported(let reported):
            guard let reporter = AdverseEventReporter(protoNumber: reported.reporter.rawValue) else {
                throw .unspecified("adverse_event_reported.reporter")
            }
            command = .adverseEventReported(
                AdverseEventReport(
                    trialID: reported.trialId, termCode: reported.ctcaeTermCode, grade: Int(clamping: reported.grade),
                    onsetAt: reported.onsetAt == 0 ? nil : reported.onsetAt, reporter: reporter))
        }
        return TrialAccessCommand(eventID: eventId, patientRef: patientRef, occurredAt: occurredAt, body: command)
    }
}

extension TrialAccessCommand {
    /// The `WaitlistSlotOffered` event of a slot offer (nil for any other command).
    func offerEvent(source: String) -> EnrollmentEvent? {
        guard case .waitlistSlotOffered(let offer) = body else { return nil }
        return EnrollmentEvent(
            eventId: eventID, occurredAt: occurredAt, source: source, patientRef: patientRef,
            body: .waitlistSlotOffered(WaitlistSlotOffered(trialId: offer.trialID, siteId: offer.siteID)))
    }
}

extension PatientReferred {
    /// The referral. Consents with an unspecified or unknown scope are left out (a later v1 scope
    /// this reader does not know); `wantsTravel` stays false (no v1 field).
    var referral: PatientReferral {
        var referral = PatientReferral(
            referralID: referralId, trialID: trialId.givenOrNil, conditionCode: conditionCode.givenOrNil,
            conditionSystem: conditionSystem.givenOrNil, stage: stage.givenOrNil, ageYears: ageYears.map(Int.init),
            ecog: ecog.map(Int.init), biomarkers: biomarkers.map(\.domain), priorTherapies: priorTherapies,
            homeLocation: homeLocation?.domain, maxTravelKm: maxTravelKm == 0 ? nil : Int(maxTravelKm),
            mobility: mobility.domain, companions: Int(companions), language: language.givenOrNil,
            consents: consents.compactMap { try? $0.domain(field: "consents") })
        addClinicalFacts(to: &referral)
        return referral
    }
}
