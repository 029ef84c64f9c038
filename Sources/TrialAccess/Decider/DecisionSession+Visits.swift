/// The visit plan: `VisitScheduled`, `VisitRescheduled`, `VisitCancelled`, `VisitCompleted`.
extension DecisionSession {
    mutating func scheduleVisit(_ visit: Visit) throws(TrialAccessRejection) {
        try InputValidation.visit(visit)
        var enrollment = try visitEnrollment(visit.trialID)
        let site = try site(visit.siteID, of: visit.trialID)
        if let existing = enrollment.visit(id: visit.visitID) {
            guard existing.status == .planned, existing.visit == visit else {
                throw TrialAccessRejection(.alreadyExists, "visit \(visit.visitID) already exists with other content")
            }
            ignoredReason = IgnoredReason.visitUnchanged
            reply = enrollment
            return
        }
        let windowAtRisk = !visit.protocolWindow.contains(visit.scheduledAt)
        enrollment.visits.append(
            PlannedVisit(
                visit: visit, status: .planned, windowAtRisk: windowAtRisk, destination: site.location,
                travelRequested: false,
                previousScheduledAt: nil, completedAt: nil))
        recorder.emit(
            .visitPlanned(VisitPlan(visit: visit, previousScheduledAt: nil, windowAtRisk: windowAtRisk)),
            for: enrollment.patientRef, suffix: "visit-planned/\(visit.visitID)")
        enrollment.requestTravelIfNeeded(at: enrollment.visits.count - 1, recorder: &recorder)
        save(enrollment)
    }

    /// Checked against the window given at scheduling; outside it the visit is flagged
    /// window-at-risk. Outstanding travel is retracted and requested again for the new time.
    mutating func rescheduleVisit(_ change: VisitReschedule) throws(TrialAccessRejection) {
        try InputValidation.visit(change.visit)
        try InputValidation.code(change.reasonCode, "reason_code")
        var enrollment = try visitEnrollment(change.visit.trialID)
        let index = try openVisitIndex(change.visit.visitID, in: enrollment)
        let site = try site(change.visit.siteID, of: change.visit.trialID)
        let current = enrollment.visits[index]
        var moved = change.visit
        moved.protocolWindow = current.visit.protocolWindow
        guard moved != current.visit else {
            ignoredReason = IgnoredReason.visitUnchanged
            reply = enrollment
            return
        }
        enrollment.retractTravel(at: index, reason: .visitRescheduled, recorder: &recorder)
        let windowAtRisk = !moved.protocolWindow.contains(moved.scheduledAt)
        enrollment.visits[index].visit = moved
        enrollment.visits[index].windowAtRisk = windowAtRisk
        enrollment.visits[index].destination = site.location
        enrollment.visits[index].previousScheduledAt = current.visit.scheduledAt
        enrollment.visits[index].transportRisks = []
        recorder.emit(
            .visitPlanned(
                VisitPlan(visit: moved, previousScheduledAt: current.visit.scheduledAt, windowAtRisk: windowAtRisk)),
            for: enrollment.patientRef, suffix: "visit-planned/\(moved.visitID)")
        enrollment.requestTravelIfNeeded(at: index, recorder: &recorder)
        save(enrollment)
    }

    mutating func cancelVisit(_ cancellation: VisitCancellation) throws(TrialAccessRejection) {
        try InputValidation.nonEmpty(cancellation.visitID, "visit_id")
        try InputValidation.nonEmpty(cancellation.trialID, "trial_id")
        try InputValidation.code(cancellation.reasonCode, "reason_code")
        var enrollment = try visitEnrollment(cancellation.trialID)
        guard let index = try visitToEnd(cancellation.visitID, in: enrollment, as: .cancelled) else { return }
        enrollment.cancelVisit(at: index, reason: .visitCancelled, recorder: &recorder)
        save(enrollment)
    }

    /// Completing an end-of-treatment visit moves on-study -> follow-up; an end-of-study visit
    /// moves on-study or follow-up -> off-study (``TrialAccessConfig``). Other visits move nothing.
    mutating func completeVisit<Ledger: SlotLedger>(
        _ completion: VisitCompletion, ledger: inout Ledger
    ) throws(TrialAccessRejection) {
        try InputValidation.nonEmpty(completion.visitID, "visit_id")
        try InputValidation.nonEmpty(completion.trialID, "trial_id")
        var enrollment = try visitEnrollment(completion.trialID)
        guard let index = try visitToEnd(completion.visitID, in: enrollment, as: .completed) else { return }
        enrollment.visits[index].status = .completed
        enrollment.visits[index].completedAt = completion.completedAt > 0 ? completion.completedAt : recorder.factTime
        enrollment.visits[index].travelRequested = false
        enrollment.visits[index].transportRisks = []
        let code = enrollment.visits[index].visit.visitCode.uppercased()
        let config = recorder.config
        if enrollment.state == .onStudy, config.endOfTreatmentVisitCodes.contains(where: { $0.uppercased() == code }) {
            try enrollment.move(
                to: .followUp, reasons: [StatusReason.treatmentEnded], recorder: &recorder, ledger: &ledger)
        }
        if enrollment.state == .onStudy || enrollment.state == .followUp,
            config.endOfStudyVisitCodes.contains(where: { $0.uppercased() == code })
        {
            try enrollment.move(
                to: .offStudy, reasons: [StatusReason.studyCompleted], recorder: &recorder, ledger: &ledger)
        }
        save(enrollment)
    }

    /// The enrollment of `trialID` when its state allows visit changes.
    private func visitEnrollment(_ trialID: String) throws(TrialAccessRejection) -> Enrollment {
        let enrollment = try enrollment(for: trialID)
        guard enrollment.state.allowsVisits else { throw notAllowed(in: enrollment) }
        return enrollment
    }

    /// Where visit `visitID` stands in the enrollment's plan; NOT_FOUND when it is not there.
    private func visitIndex(_ visitID: String, in enrollment: Enrollment) throws(TrialAccessRejection) -> Int {
        guard let index = enrollment.visits.firstIndex(where: { $0.visit.visitID == visitID }) else {
            throw TrialAccessRejection(.notFound, "visit \(visitID) is not in the plan of trial \(enrollment.trialID)")
        }
        return index
    }

    /// ``visitIndex(_:in:)`` of a planned visit about to end as `end` (completed or cancelled);
    /// nil when it already ended so (the input is ignored, the enrollment its answer);
    /// INVALID_TRANSITION when it ended the other way.
    private mutating func visitToEnd(
        _ visitID: String, in enrollment: Enrollment, as end: VisitStatus
    ) throws(TrialAccessRejection) -> Int? {
        let index = try visitIndex(visitID, in: enrollment)
        let status = enrollment.visits[index].status
        if status == end {
            ignoredReason = IgnoredReason.visitUnchanged
            reply = enrollment
            return nil
        }
        guard status == .planned else {
            throw TrialAccessRejection(.invalidTransition, "visit \(visitID) is \(status.rawValue)", state: enrollment.state)
        }
        return index
    }

    /// ``visitIndex(_:in:)`` of a visit still planned; INVALID_TRANSITION when it is not.
    private func openVisitIndex(_ visitID: String, in enrollment: Enrollment) throws(TrialAccessRejection) -> Int {
        let index = try visitIndex(visitID, in: enrollment)
        guard enrollment.visits[index].status == .planned else {
            throw TrialAccessRejection(
                .invalidTransition, "visit \(visitID) is \(enrollment.visits[index].status.rawValue)",
                state: enrollment.state)
        }
        return index
    }

    private func site(_ siteID: String, of trialID: String) throws(TrialAccessRejection) -> TrialSite {
        guard let site = catalog.trial(id: trialID)?.site(id: siteID) else {
            throw TrialAccessRejection(.notFound, "site \(siteID) is not a site of trial \(trialID) in the catalogue")
        }
        return site
    }
}
