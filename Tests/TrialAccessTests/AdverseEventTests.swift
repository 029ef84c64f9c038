import Foundation
import Testing
import TrialAccess

@Suite("Adverse events")
struct AdverseEventTests {
    static let colitis = "10009887"
    static let pneumonitis = "10035742"
    static let rules = AdverseEventRules(
        safetyVisitWithinHours: 48, discontinuingTermCodes: [pneumonitis], dosingVisitCodes: ["C2D1", "C3D1"])

    /// An on-study subject at site A with dosing visits C2D1 (day 10) and C3D1 (day 31), and an
    /// EOT visit (day 40); with TRANSPORT consent and a standing travel request when `transport`.
    static func onStudy(transport: Bool = true) throws -> Harness {
        var harness = try Harness([
            TrialDefinition(
                trialID: Fixture.trialID, title: "Test trial", recruitingStatus: .recruiting,
                criteria: Fixture.criteria, sites: [Fixture.site("A", Place.amsterdam, capacity: 1)],
                updatedAt: Fixture.t0, adverseEventRules: rules)
        ])
        let subject = Harness.subject
        try harness.ok(
            subject,
            .patientReferred(
                Fixture.referral(consents: transport ? [Fixture.consent(.transport)] : [], wantsTravel: transport)))
        try harness.ok(subject, .visitScheduled(Fixture.visit("v-c2", code: "C2D1", days: 10)))
        try harness.ok(subject, .visitScheduled(Fixture.visit("v-c3", code: "C3D1", days: 31)))
        try harness.ok(subject, .visitScheduled(Fixture.visit("v-eot", code: "EOT", days: 40)))
        try harness.ok(subject, .consentRecorded(Fixture.consent(.participation, at: harness.now)))
        try harness.ok(
            subject,
            .screeningCompleted(
                ScreeningResult(trialID: Fixture.trialID, siteID: "A", outcome: .passed, screenedAt: harness.now)))
        try harness.ok(
            subject, .enrollmentConfirmed(EnrollmentConfirmation(trialID: Fixture.trialID, enrolledAt: harness.now)))
        #expect(harness.state(subject) == .onStudy)
        return harness
    }

    static func report(grade: Int, term: String = colitis) -> TrialAccessCommand.Body {
        .adverseEventReported(
            AdverseEventReport(trialID: Fixture.trialID, termCode: term, grade: grade, reporter: .patientApp))
    }

    static func steps(_ outcome: TrialAccessOutcome) -> [String] {
        outcome.audit.filter { $0.action == .adverseEventResponse }.compactMap { $0.details["step"] }
    }

    /// No audit note or output carries the term or the grade.
    static func expectNoClinicalDetail(_ outcome: TrialAccessOutcome, term: String = colitis) {
        for note in outcome.audit {
            #expect(!note.details.values.contains { $0.contains(term) })
            #expect(!note.details.keys.contains { $0.contains("grade") || $0.contains("term") })
        }
        for output in outcome.outputs { #expect(!"\(output)".contains(term)) }
    }

    @Test("grade 2: a safety visit at the patient's site within the window, with a ride")
    func grade2() throws {
        var harness = try Self.onStudy()
        let reportedAt = harness.now
        let outcome = try harness.ok(Harness.subject, Self.report(grade: 2), eventID: "ae-2")
        let plan = try #require(outcome.plannedVisits.first)
        #expect(plan.visit.visitID == "ae-2/visit")
        #expect(plan.visit.siteID == "A")
        #expect(plan.visit.visitCode == "UNSCHEDULED")
        #expect(plan.visit.protocolWindow == TimeWindow(startAt: reportedAt, endAt: reportedAt + 48 * Millis.hour))
        #expect(plan.visit.protocolWindow.contains(plan.visit.scheduledAt))
        #expect(plan.visit.scheduledAt == reportedAt + 24 * Millis.hour)
        let need = try #require(outcome.travelNeeds.first)
        #expect(need.visit.visitID == "ae-2/visit")
        #expect(!need.urgent)
        #expect(outcome.kinds == ["visit-planned", "travel-needed"])
        #expect(Self.steps(outcome) == ["reported", "safety-visit", "travel"])
        #expect(outcome.audit.last?.details["travel"] == "requested")
        #expect(harness.state(Harness.subject) == .onStudy)
        Self.expectNoClinicalDetail(outcome)
    }

    @Test("grade 3: an urgent same-day visit and an urgent ride")
    func grade3() throws {
        var harness = try Self.onStudy()
        let reportedAt = harness.now
        let outcome = try harness.ok(Harness.subject, Self.report(grade: 3), eventID: "ae-3")
        let plan = try #require(outcome.plannedVisits.first)
        #expect(plan.visit.scheduledAt == reportedAt + 2 * Millis.hour)
        #expect(plan.visit.protocolWindow.endAt == reportedAt + 12 * Millis.hour)
        let need = try #require(outcome.travelNeeds.first)
        #expect(need.urgent)
        #expect(harness.enrollment(Harness.subject)?.visit(id: "ae-3/visit")?.urgent == true)
        #expect(Self.steps(outcome) == ["reported", "urgent-visit", "travel"])
        Self.expectNoClinicalDetail(outcome)
    }

    @Test("grade 4: treatment discontinued (follow-up), future dosing visits and their rides cancelled")
    func grade4() throws {
        var harness = try Self.onStudy()
        let outcome = try harness.ok(Harness.subject, Self.report(grade: 4), eventID: "ae-4")
        #expect(harness.state(Harness.subject) == .followUp)
        let change = try #require(outcome.statusChanges.first)
        #expect(change.reasonCodes == [StatusReason.treatmentDiscontinued])
        #expect(Set(outcome.travelRetractions.map(\.visitID)) == ["v-c2", "v-c3"])
        #expect(outcome.travelRetractions.allSatisfy { $0.reason == .visitCancelled })
        let enrollment = try #require(harness.enrollment(Harness.subject))
        #expect(enrollment.visit(id: "v-c2")?.status == .cancelled)
        #expect(enrollment.visit(id: "v-c3")?.status == .cancelled)
        #expect(enrollment.visit(id: "v-eot")?.status == .planned)
        #expect(outcome.plannedVisits.isEmpty)
        #expect(
            Self.steps(outcome) == [
                "reported", "treatment-discontinued", "dosing-visit-cancelled", "dosing-visit-cancelled",
            ])
        Self.expectNoClinicalDetail(outcome)
    }

    @Test("a discontinuing term at grade 2 discontinues treatment and still brings the patient in")
    func discontinuingTermAtGrade2() throws {
        var harness = try Self.onStudy()
        let outcome = try harness.ok(
            Harness.subject, Self.report(grade: 2, term: Self.pneumonitis), eventID: "ae-p")
        #expect(harness.state(Harness.subject) == .followUp)
        #expect(harness.enrollment(Harness.subject)?.visit(id: "v-c2")?.status == .cancelled)
        #expect(outcome.plannedVisits.map(\.visit.visitID) == ["ae-p/visit"])
        #expect(outcome.travelNeeds.map(\.visit.visitID) == ["ae-p/visit"])
        #expect(Self.steps(outcome).first(where: { $0 == "treatment-discontinued" }) != nil)
        Self.expectNoClinicalDetail(outcome, term: Self.pneumonitis)
    }

    @Test("without TRANSPORT consent the visit is planned, no ride is requested, and that is audited")
    func noTransportConsent() throws {
        var harness = try Self.onStudy(transport: false)
        let outcome = try harness.ok(Harness.subject, Self.report(grade: 3))
        #expect(outcome.plannedVisits.count == 1)
        #expect(outcome.travelNeeds.isEmpty)
        #expect(outcome.audit.last?.details["step"] == "travel")
        #expect(outcome.audit.last?.details["travel"] == "no-transport-consent")
    }

    @Test("a visit already planned in the window is reused, not doubled")
    func reusesPlannedVisit() throws {
        var harness = try Self.onStudy()
        var soon = Fixture.visit("v-soon", code: "FU-CHECK", days: 0)
        soon.scheduledAt = harness.now + 30 * Millis.hour
        soon.protocolWindow = TimeWindow(startAt: soon.scheduledAt - Millis.day, endAt: soon.scheduledAt + Millis.day)
        try harness.ok(Harness.subject, .visitScheduled(soon))
        let outcome = try harness.ok(Harness.subject, Self.report(grade: 2))
        #expect(outcome.plannedVisits.isEmpty)
        #expect(outcome.travelNeeds.isEmpty)
        #expect(outcome.audit.first { $0.details["step"] == "safety-visit" }?.details["visit"] == "reused")
        #expect(outcome.audit.last?.details["travel"] == "already-requested")
        #expect(harness.enrollment(Harness.subject)?.openVisits.count == 4)
    }

    @Test("grade 3 with a visit already planned today makes its ride urgent")
    func grade3ReusesAndUpgrades() throws {
        var harness = try Self.onStudy()
        var soon = Fixture.visit("v-soon", code: "FU-CHECK", days: 0)
        soon.scheduledAt = harness.now + 5 * Millis.hour
        soon.protocolWindow = TimeWindow(startAt: soon.scheduledAt - Millis.day, endAt: soon.scheduledAt + Millis.day)
        try harness.ok(Harness.subject, .visitScheduled(soon))
        let outcome = try harness.ok(Harness.subject, Self.report(grade: 3), eventID: "ae-up")
        #expect(outcome.kinds == ["travel-cancelled", "travel-needed"])
        #expect(outcome.travelRetractions.map(\.reason) == [.visitRescheduled])
        #expect(outcome.travelNeeds.map(\.urgent) == [true])
        #expect(outcome.travelNeeds.map(\.visit.visitID) == ["v-soon"])
    }

    @Test("a replayed report is a no-op")
    func replay() throws {
        var harness = try Self.onStudy()
        try harness.ok(Harness.subject, Self.report(grade: 3), eventID: "ae-r")
        let again = try harness.ok(Harness.subject, Self.report(grade: 3), eventID: "ae-r")
        #expect(again.outputs.isEmpty)
        #expect(again.audit.isEmpty)
        #expect(harness.enrollment(Harness.subject)?.openVisits.count == 4)
    }

    @Test("grade 1 is recorded and audited only; grade 5 ends the study")
    func grades1And5() throws {
        var harness = try Self.onStudy()
        let mild = try harness.ok(Harness.subject, Self.report(grade: 1))
        #expect(mild.outputs.isEmpty)
        #expect(Self.steps(mild) == ["reported"])
        let fatal = try harness.ok(Harness.subject, Self.report(grade: 5))
        #expect(harness.state(Harness.subject) == .offStudy)
        #expect(fatal.statusChanges.first?.reasonCodes == [StatusReason.fatalAdverseEvent])
        #expect(harness.enrollment(Harness.subject)?.openVisits.isEmpty == true)
    }

    @Test("bad reports are refused naming the field, never the value")
    func invalid() throws {
        var harness = try Self.onStudy()
        let grade = try harness.rejected(Harness.subject, Self.report(grade: 6))
        #expect(grade.code == .invalidArgument)
        #expect(grade.message == "grade is outside 1...5")
        let term = try harness.rejected(Harness.subject, Self.report(grade: 2, term: "colitis"))
        #expect(term.code == .invalidArgument)
        #expect(!term.message.contains("colitis"))
        var notStarted = try Harness.subject(in: .waitlisted)
        let state = try notStarted.rejected(Harness.subject, Self.report(grade: 2))
        #expect(state.code == .invalidTransition)
    }

    @Test("the catalogue refuses malformed adverse-event rules")
    func catalogueRules() {
        let bad = AdverseEventRules(
            safetyVisitWithinHours: 0, discontinuingTermCodes: ["pneumonitis", "10035742", "10035742"],
            dosingVisitCodes: ["c2d1", "C2D1", ""])
        let trial = TrialDefinition(
            trialID: "NCT-AE", title: "AE", recruitingStatus: .recruiting, adverseEventRules: bad)
        #expect(throws: CatalogError.self) { try TrialCatalog(trials: [trial]) }
        do {
            _ = try TrialCatalog(trials: [trial])
        } catch let CatalogError.invalid(issues) {
            #expect(
                issues.map(\.field) == [
                    "adverseEventRules.safetyVisitWithinHours", "adverseEventRules.discontinuingTermCodes[0]",
                    "adverseEventRules.discontinuingTermCodes[2]", "adverseEventRules.dosingVisitCodes[1]",
                    "adverseEventRules.dosingVisitCodes[2]",
                ])
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

@Suite("Adverse events: stored rows")
struct AdverseEventStoredRowTests {
    @Test("a planned visit stored as JSON before the urgent flag existed reads as not urgent")
    func legacyRowWithoutUrgent() throws {
        var harness = try AdverseEventTests.onStudy()
        try harness.ok(Harness.subject, AdverseEventTests.report(grade: 3), eventID: "ae-j")
        let enrollment = try #require(harness.enrollment(Harness.subject))
        let json = String(decoding: try JSONEncoder().encode(enrollment), as: UTF8.self)
        #expect(json.contains("\"urgentMark\":true"))
        let old = json.replacingOccurrences(of: ",\"urgentMark\":true", with: "")
            .replacingOccurrences(of: "\"urgentMark\":true,", with: "")
        #expect(!old.contains("urgentMark"))
        let read = try JSONDecoder().decode(Enrollment.self, from: Data(old.utf8))
        #expect(read.visit(id: "ae-j/visit")?.urgent == false)
        #expect(try JSONDecoder().decode(Enrollment.self, from: Data(json.utf8)) == enrollment)
    }
}
