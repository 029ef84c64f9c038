import TransitDomain

/// `AdverseEventReported`, answered by the trial's ``AdverseEventRules``:
///
/// - grade 1: recorded and audited, nothing else;
/// - grade 2: an unscheduled safety visit at the patient's site within the protocol's window;
/// - grade 3: an urgent same-day visit whose rides are offered with the earliest pickup;
/// - grade 4, or grade 2 or 3 of a term the protocol marks as discontinuing: treatment is
///   discontinued (on-study -> follow-up) and future dosing visits are cancelled, their rides
///   retracted (grade 2 or 3 still brings the patient in);
/// - grade 5: the study ends for the patient (off-study), every open visit is cancelled.
///
/// A visit already planned in the window is reused rather than doubled. Rides follow the usual
/// travel rule (TRANSPORT consent held and a travel request covering the visit). Every step is an
/// audit note; neither the term nor the grade appears in an output or an audit note.
extension DecisionSession {
    /// Visit code of a visit planned for an adverse event: neutral, as it reaches transport.
    static let unscheduledVisitCode = "UNSCHEDULED"

    mutating func respond<Ledger: SlotLedger>(
        to report: AdverseEventReport, ledger: inout Ledger
    ) throws(TrialAccessRejection) {
        try InputValidation.nonEmpty(report.trialID, "trial_id")
        try InputValidation.require(
            AdverseEventRules.isTermCode(report.termCode), "ctcae_term_code is not a MedDRA code (1-16 digits)")
        try InputValidation.require(AdverseEventReport.grades.contains(report.grade), "grade is outside 1...5")
        var enrollment = try enrollment(for: report.trialID)
        guard enrollment.state.allowsVisits else { throw notAllowed(in: enrollment) }
        let rules = catalog.trial(id: report.trialID)?.adverseEventRules ?? AdverseEventRules()
        // The report itself changes the enrollment: a replay is then a no-op.
        enrollment.appliedEventIDs.append(command.eventID)
        auditAdverseEvent(step: "reported", enrollment, ["reporter": report.reporter.rawValue])

        if report.grade == 5 {
            let next: EnrollmentState = enrollment.state.canMove(to: .offStudy) ? .offStudy : .withdrawn
            try enrollment.move(
                to: next, reasons: [StatusReason.fatalAdverseEvent], withdrawal: .adverseEvent,
                slotRelease: .patientWithdrawn, recorder: &recorder, ledger: &ledger)
            auditAdverseEvent(step: "study-ended", enrollment, ["state": enrollment.state.rawValue])
        } else {
            if report.grade == 4 || (report.grade >= 2 && rules.discontinues(termCode: report.termCode)) {
                try discontinueTreatment(of: &enrollment, rules: rules, ledger: &ledger)
            }
            if report.grade == 2 || report.grade == 3 {
                try bringPatientIn(&enrollment, urgent: report.grade == 3, rules: rules)
            }
        }
        save(enrollment)
    }

    /// On-study -> follow-up (FHIR ResearchSubject: treatment ends, follow-up continues); in
    /// other visit states the state stays. Future dosing visits are cancelled, their rides retracted.
    private mutating func discontinueTreatment<Ledger: SlotLedger>(
        of enrollment: inout Enrollment, rules: AdverseEventRules, ledger: inout Ledger
    ) throws(TrialAccessRejection) {
        if enrollment.state == .onStudy {
            try enrollment.move(
                to: .followUp, reasons: [StatusReason.treatmentDiscontinued], recorder: &recorder, ledger: &ledger)
        }
        auditAdverseEvent(step: "treatment-discontinued", enrollment, ["state": enrollment.state.rawValue])
        for index in enrollment.openVisitIndices
        where enrollment.visits[index].visit.scheduledAt > recorder.now
            && rules.isDosingVisit(code: enrollment.visits[index].visit.visitCode)
        {
            let hadTravel = enrollment.visits[index].travelRequested
            enrollment.cancelVisit(at: index, reason: .visitCancelled, recorder: &recorder)
            auditAdverseEvent(
                step: "dosing-visit-cancelled", enrollment,
                ["visit-id": enrollment.visits[index].visit.visitID, "travel": hadTravel ? "retracted" : "none"])
        }
    }

    /// Plans the safety (grade 2) or urgent (grade 3) visit at the patient's site, or reuses one
    /// already planned in its window, and requests rides for it.
    private mutating func bringPatientIn(
        _ enrollment: inout Enrollment, urgent: Bool, rules: AdverseEventRules
    ) throws(TrialAccessRejection) {
        let now = recorder.now
        let config = recorder.config
        let windowEnd =
            urgent ? now.addingSaturating(config.urgentVisitWindow)
            : now.addingSaturating(Int64(rules.safetyVisitWithinHours) * Millis.hour)
        let step = urgent ? "urgent-visit" : "safety-visit"
        let index: Int
        if let reused = enrollment.openVisitIndices.first(where: { index in
            let start = enrollment.visits[index].visit.scheduledAt
            return start > now && start <= windowEnd
        }) {
            index = reused
            if urgent, !enrollment.visits[index].urgent {
                // Rides already requested were not urgent: ask again with the earliest pickup.
                enrollment.retractTravel(at: index, reason: .visitRescheduled, recorder: &recorder)
                enrollment.visits[index].urgent = true
            }
            auditAdverseEvent(step: step, enrollment, ["visit-id": enrollment.visits[index].visit.visitID, "visit": "reused"])
        } else {
            guard let siteID = enrollment.siteID, let site = catalog.trial(id: enrollment.trialID)?.site(id: siteID)
            else {
                throw TrialAccessRejection(
                    .notFound, "the enrollment in trial \(enrollment.trialID) has no site in the catalogue",
                    state: enrollment.state)
            }
            let lead = urgent ? config.urgentVisitLeadTime : config.safetyVisitLeadTime
            let visit = Visit(
                visitID: "\(command.eventID)/visit", trialID: enrollment.trialID, siteID: siteID,
                visitCode: Self.unscheduledVisitCode, scheduledAt: min(now.addingSaturating(max(0, lead)), windowEnd),
                protocolWindow: TimeWindow(startAt: now, endAt: windowEnd))
            enrollment.visits.append(
                PlannedVisit(
                    visit: visit, status: .planned, windowAtRisk: false, destination: site.location,
                    travelRequested: false, previousScheduledAt: nil, completedAt: nil, urgent: urgent))
            index = enrollment.visits.count - 1
            recorder.emit(
                .visitPlanned(VisitPlan(visit: visit, previousScheduledAt: nil, windowAtRisk: false)),
                for: enrollment.patientRef, suffix: "visit-planned/\(visit.visitID)")
            auditAdverseEvent(step: step, enrollment, ["visit-id": visit.visitID, "visit": "planned"])
        }
        let visitID = enrollment.visits[index].visit.visitID
        let hadTravel = enrollment.visits[index].travelRequested
        enrollment.requestTravelIfNeeded(at: index, recorder: &recorder)
        let travel =
            hadTravel ? "already-requested"
            : enrollment.visits[index].travelRequested ? "requested"
            : !enrollment.holdsConsent(.transport) ? "no-transport-consent"
            : "no-travel-request"
        auditAdverseEvent(step: "travel", enrollment, ["visit-id": visitID, "travel": travel])
    }

    /// One audit note per step: ids, states and step names only (never the term or the grade).
    private mutating func auditAdverseEvent(step: String, _ enrollment: Enrollment, _ extra: [String: String]) {
        var details = ["step": step, "trial-id": enrollment.trialID, "source-event-id": recorder.inputEventID]
        if let siteID = enrollment.siteID { details["site-id"] = siteID }
        details.merge(extra) { _, new in new }
        let suffix = extra["visit-id"].map { "\(step)/\($0)" } ?? step
        recorder.audit.append(
            EnrollmentAuditNote(
                auditID: "\(recorder.cause)/audit/adverse-event/\(suffix)", occurredAt: recorder.now,
                action: .adverseEventResponse, subject: enrollment.patientRef, details: details))
    }
}

extension Int64 {
    /// `self + other`, saturating at the bounds.
    fileprivate func addingSaturating(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other < 0 ? .min : .max) : sum
    }
}
