import Testing
import TrialAccess

/// What an event must do to the subject's enrollment.
enum Expectation: Equatable, Sendable {
    /// Ends in this state with an `EnrollmentStatusChanged` (re-evaluation may keep the state).
    case becomes(EnrollmentState)
    /// Accepted; no state change.
    case stays
    /// Refused with this code; nothing changes.
    case rejected(TrialAccessRejection.Code)
}

/// Every input kind that can affect an enrollment, with its expected effect from every state.
enum TableEvent: String, CaseIterable, Sendable {
    case referral, participationConsent, participationWithdrawn, screeningPassed, screeningFailed, confirmation
    case scheduleVisit, rescheduleVisit, cancelVisit, completeEOT, completeEOS, withdrawal, reservationExpiry,
        travelRequest

    func body(_ harness: Harness) -> TrialAccessCommand.Body {
        let trialID = Fixture.trialID
        switch self {
        case .referral: return .patientReferred(Fixture.referral(id: "ref-again"))
        case .participationConsent:
            return .consentRecorded(Fixture.consent(.participation, at: harness.now, version: "V2"))
        case .participationWithdrawn:
            return .consentWithdrawn(
                ConsentWithdrawal(scope: .participation, trialID: trialID, withdrawnAt: harness.now))
        case .screeningPassed:
            return .screeningCompleted(
                ScreeningResult(trialID: trialID, siteID: "A", outcome: .passed, screenedAt: harness.now))
        case .screeningFailed:
            return .screeningCompleted(
                ScreeningResult(
                    trialID: trialID, siteID: "A", outcome: .failed, failedCriteria: ["ECOG"], screenedAt: harness.now))
        case .confirmation:
            return .enrollmentConfirmed(EnrollmentConfirmation(trialID: trialID, enrolledAt: harness.now))
        case .scheduleVisit: return .visitScheduled(Fixture.visit("v-new", days: 12))
        case .rescheduleVisit: return .visitRescheduled(VisitReschedule(visit: Fixture.visit("v-c", days: 11)))
        case .cancelVisit:
            return .visitCancelled(VisitCancellation(visitID: "v-c", trialID: trialID, cancelledBy: .patient))
        case .completeEOT:
            return .visitCompleted(VisitCompletion(visitID: "v-eot", trialID: trialID, completedAt: harness.now))
        case .completeEOS:
            return .visitCompleted(VisitCompletion(visitID: "v-eos", trialID: trialID, completedAt: harness.now))
        case .withdrawal:
            return .patientWithdrawn(
                PatientWithdrawal(trialID: trialID, reason: .investigatorDecision, withdrawnAt: harness.now))
        case .reservationExpiry:
            let slotID = harness.enrollment(Harness.subject)?.slot?.slotID ?? "no-slot"
            return .reservationExpired(ReservationExpiry(trialID: trialID, slotID: slotID))
        case .travelRequest:
            return .travelAssistanceRequested(TravelAssistanceRequest(requestID: "tr-1", trialID: trialID))
        }
    }

    /// The specification: effect of this event in each state.
    func expectation(in state: EnrollmentState) -> Expectation {
        let visitStates: Set<EnrollmentState> = [.eligible, .screening, .pendingOnStudy, .onStudy, .followUp]
        let terminal: Set<EnrollmentState> = [.ineligible, .offStudy, .withdrawn]
        let refused = Expectation.rejected(.invalidTransition)
        switch self {
        case .referral:
            switch state {
            case .candidate, .ineligible, .needsReview, .eligible: return .becomes(.eligible)
            case .waitlisted: return .becomes(.waitlisted)
            default: return refused
            }
        case .participationConsent:
            if state == .eligible { return .becomes(.screening) }
            return terminal.contains(state) ? refused : .stays
        case .participationWithdrawn:
            return [.screening, .pendingOnStudy, .onStudy, .followUp].contains(state) ? .becomes(.withdrawn) : .stays
        case .screeningPassed: return state == .screening ? .becomes(.pendingOnStudy) : refused
        case .screeningFailed: return state == .screening ? .becomes(.offStudy) : refused
        case .confirmation: return state == .pendingOnStudy ? .becomes(.onStudy) : refused
        case .scheduleVisit, .rescheduleVisit, .cancelVisit: return visitStates.contains(state) ? .stays : refused
        case .completeEOT:
            if state == .onStudy { return .becomes(.followUp) }
            return visitStates.contains(state) ? .stays : refused
        case .completeEOS:
            if state == .onStudy || state == .followUp { return .becomes(.offStudy) }
            return visitStates.contains(state) ? .stays : refused
        case .withdrawal: return terminal.contains(state) ? refused : .becomes(.withdrawn)
        case .reservationExpiry: return state == .eligible ? .becomes(.needsReview) : .stays
        case .travelRequest: return terminal.contains(state) ? refused : .stays
        }
    }
}

/// How an allowed transition is brought about.
enum Route: String, Sendable {
    case passingReferral, failingReferral, incompleteReferral, referralWhileFull, referralFromFarAway
    case participationConsent, screeningPassed, screeningFailed, confirmation, completeEOT, completeEOS
    case withdrawal, reservationExpiry, slotFreed

    func run(on harness: inout Harness) throws {
        let subject = Harness.subject
        let trialID = Fixture.trialID
        switch self {
        case .passingReferral: try harness.ok(subject, .patientReferred(Fixture.referral(id: "ref-2")))
        case .failingReferral:
            var referral = Fixture.referral(id: "ref-2")
            referral.priorTherapies = ["ANTI_PD1"]
            try harness.ok(subject, .patientReferred(referral))
        case .incompleteReferral:
            var referral = Fixture.referral(id: "ref-2")
            referral.biomarkers = []
            try harness.ok(subject, .patientReferred(referral))
        case .referralWhileFull:
            try harness.ok("filler", .patientReferred(Fixture.referral(id: "ref-filler")))
            try harness.ok(subject, .patientReferred(Fixture.referral(id: "ref-2")))
        case .referralFromFarAway:
            try harness.ok(
                subject, .patientReferred(Fixture.referral(id: "ref-2", home: Place.utrecht, maxTravelKm: 10)))
        case .slotFreed:
            try harness.ok(
                Harness.other,
                .patientWithdrawn(PatientWithdrawal(trialID: trialID, reason: .other, withdrawnAt: harness.now)))
        default:
            let event: TableEvent =
                switch self {
                case .participationConsent: .participationConsent
                case .screeningPassed: .screeningPassed
                case .screeningFailed: .screeningFailed
                case .confirmation: .confirmation
                case .completeEOT: .completeEOT
                case .completeEOS: .completeEOS
                case .reservationExpiry: .reservationExpiry
                default: .withdrawal
                }
            try harness.ok(subject, event.body(harness))
        }
    }
}

struct AllowedTransition: Sendable, CustomTestStringConvertible {
    let from: EnrollmentState
    let to: EnrollmentState
    let route: Route
    var testDescription: String { "\(from.rawValue) -> \(to.rawValue) by \(route.rawValue)" }

    /// The specification: every allowed transition and an input that causes it.
    static let all: [AllowedTransition] = [
        .init(from: .candidate, to: .eligible, route: .passingReferral),
        .init(from: .candidate, to: .ineligible, route: .failingReferral),
        .init(from: .candidate, to: .waitlisted, route: .referralWhileFull),
        .init(from: .candidate, to: .needsReview, route: .incompleteReferral),
        .init(from: .candidate, to: .withdrawn, route: .withdrawal),
        .init(from: .needsReview, to: .eligible, route: .passingReferral),
        .init(from: .needsReview, to: .ineligible, route: .failingReferral),
        .init(from: .needsReview, to: .waitlisted, route: .referralWhileFull),
        .init(from: .needsReview, to: .needsReview, route: .incompleteReferral),
        .init(from: .needsReview, to: .withdrawn, route: .withdrawal),
        .init(from: .ineligible, to: .eligible, route: .passingReferral),
        .init(from: .ineligible, to: .ineligible, route: .failingReferral),
        .init(from: .ineligible, to: .waitlisted, route: .referralWhileFull),
        .init(from: .ineligible, to: .needsReview, route: .incompleteReferral),
        .init(from: .eligible, to: .eligible, route: .passingReferral),
        .init(from: .eligible, to: .ineligible, route: .failingReferral),
        .init(from: .eligible, to: .waitlisted, route: .referralFromFarAway),
        .init(from: .eligible, to: .needsReview, route: .incompleteReferral),
        .init(from: .eligible, to: .needsReview, route: .reservationExpiry),
        .init(from: .eligible, to: .screening, route: .participationConsent),
        .init(from: .eligible, to: .withdrawn, route: .withdrawal),
        .init(from: .waitlisted, to: .eligible, route: .slotFreed),
        .init(from: .waitlisted, to: .ineligible, route: .failingReferral),
        .init(from: .waitlisted, to: .waitlisted, route: .passingReferral),
        .init(from: .waitlisted, to: .needsReview, route: .incompleteReferral),
        .init(from: .waitlisted, to: .withdrawn, route: .withdrawal),
        .init(from: .screening, to: .pendingOnStudy, route: .screeningPassed),
        .init(from: .screening, to: .offStudy, route: .screeningFailed),
        .init(from: .screening, to: .withdrawn, route: .withdrawal),
        .init(from: .pendingOnStudy, to: .onStudy, route: .confirmation),
        .init(from: .pendingOnStudy, to: .withdrawn, route: .withdrawal),
        .init(from: .onStudy, to: .followUp, route: .completeEOT),
        .init(from: .onStudy, to: .offStudy, route: .completeEOS),
        .init(from: .onStudy, to: .withdrawn, route: .withdrawal),
        .init(from: .followUp, to: .offStudy, route: .completeEOS),
        .init(from: .followUp, to: .withdrawn, route: .withdrawal),
    ]
}

@Suite("Enrollment transitions")
struct EnrollmentTransitionTests {
    @Test("every allowed transition happens", arguments: AllowedTransition.all)
    func allowed(_ transition: AllowedTransition) throws {
        var harness = try Harness.subject(in: transition.from)
        #expect(harness.state(Harness.subject) == transition.from)
        try transition.route.run(on: &harness)
        let enrollment = try #require(harness.enrollment(Harness.subject))
        #expect(enrollment.state == transition.to)
        let last = try #require(enrollment.history.last)
        #expect(last.to == transition.to)
        #expect(enrollment.history.contains { $0.from == transition.from && $0.to == transition.to })
    }

    @Test("the allowed transitions tested are exactly the state machine's")
    func coverage() {
        let tested = Set(AllowedTransition.all.map { "\($0.from.rawValue)->\($0.to.rawValue)" })
        let machine = Set(
            EnrollmentState.allCases.flatMap { from in from.allowedNextStates.map { "\(from.rawValue)->\($0.rawValue)" }
            })
        #expect(tested == machine)
    }

    @Test(
        "every input from every state moves, stays or is refused as specified",
        arguments: TableEvent.allCases, EnrollmentState.allCases)
    func matrix(_ event: TableEvent, _ state: EnrollmentState) throws {
        var harness = try Harness.subject(in: state)
        let before = try #require(harness.enrollment(Harness.subject))
        let ledgerBefore = harness.ledger
        let result = try harness.send(Harness.subject, event.body(harness))
        let after = try #require(harness.enrollment(Harness.subject))
        switch event.expectation(in: state) {
        case .becomes(let expected):
            let outcome = try result.get()
            #expect(after.state == expected)
            #expect(outcome.statusChanges.last?.state == expected)
            for change in outcome.statusChanges {
                #expect(change.previousState.canMove(to: change.state), "\(change.previousState) -> \(change.state)")
            }
            #expect(after.history.count > before.history.count)
        case .stays:
            let outcome = try result.get()
            #expect(after.state == state)
            #expect(outcome.statusChanges.isEmpty)
        case .rejected(let code):
            guard case .failure(let rejection) = result else {
                Issue.record("expected \(code) for \(event) in \(state)")
                return
            }
            #expect(rejection.code == code)
            #expect(after == before)
            #expect(harness.ledger == ledgerBefore)
            #expect(!rejection.message.contains(Harness.subject))
        }
    }

    @Test(
        "no input crashes or changes a terminal enrollment's state",
        arguments: [EnrollmentState.ineligible, .offStudy, .withdrawn])
    func terminalStatesHold(_ state: EnrollmentState) throws {
        for event in TableEvent.allCases where event != .referral || state != .ineligible {
            var harness = try Harness.subject(in: state)
            _ = try harness.send(Harness.subject, event.body(harness))
            #expect(harness.state(Harness.subject) == state, "\(event)")
        }
    }

    @Test("withdrawal records the reason and releases the slot", arguments: WithdrawalReason.allCases)
    func withdrawalReason(_ reason: WithdrawalReason) throws {
        var harness = try Harness.subject(in: .screening)
        let outcome = try harness.ok(
            Harness.subject,
            .patientWithdrawn(PatientWithdrawal(trialID: Fixture.trialID, reason: reason, withdrawnAt: harness.now)))
        let enrollment = try #require(harness.enrollment(Harness.subject))
        #expect(enrollment.withdrawalReason == reason)
        #expect(enrollment.slot == nil)
        #expect(outcome.statusChanges.first?.withdrawalReason == reason)
        #expect(outcome.releases.map(\.reason) == [.patientWithdrawn])
        #expect(harness.inUse("A") == 0)
        #expect(WithdrawalReason(protoNumber: reason.protoNumber) == reason)
    }

    @Test("screen failure ends the study, releases the slot and cancels the plan")
    func screenFailure() throws {
        var harness = try Harness.subject(in: .screening)
        let outcome = try harness.ok(Harness.subject, TableEvent.screeningFailed.body(harness))
        let enrollment = try #require(harness.enrollment(Harness.subject))
        #expect(enrollment.state == .offStudy)
        #expect(outcome.statusChanges.first?.reasonCodes == ["SCREENING_FAILED", "ECOG"])
        #expect(outcome.releases.map(\.reason) == [.screeningCompleted])
        #expect(enrollment.openVisits.isEmpty)
        #expect(harness.inUse("A") == 0)
    }

    @Test("every state change is in the history, as an output and as an audit note")
    func statusTrail() throws {
        let harness = try Harness.subject(in: .offStudy)
        let enrollment = try #require(harness.enrollment(Harness.subject))
        #expect(
            enrollment.history.map(\.to) == [.eligible, .screening, .pendingOnStudy, .onStudy, .followUp, .offStudy])
        #expect(zip(enrollment.history, enrollment.history.dropFirst()).allSatisfy { $0.to == $1.from })
        #expect(enrollment.history.allSatisfy { !$0.sourceEventID.isEmpty && $0.at >= Fixture.t0 })
    }

    @Test("GetEnrollment returns the named or most recent enrollment, else NOT_FOUND")
    func getEnrollment() throws {
        let harness = try Harness.subject(in: .screening)
        let all = harness.store.enrollments(patientRef: Harness.subject)
        #expect(try EnrollmentQueries.enrollment(in: all, trialID: Fixture.trialID).get().state == .screening)
        #expect(try EnrollmentQueries.enrollment(in: all, trialID: nil).get().trialID == Fixture.trialID)
        guard case .failure(let rejection) = EnrollmentQueries.enrollment(in: all, trialID: "NCT-OTHER") else {
            Issue.record("expected NOT_FOUND")
            return
        }
        #expect(rejection.code == .notFound)
    }
}
