/// `RideNeedsAttention` with a transport reason: the visit the ride serves is at risk.
extension DecisionSession {
    /// Records the failure on the planned visit (the latest per leg), emits `VisitAtRisk` and audits it. A report for a
    /// visit trial access does not hold as planned (unknown patient, trial or visit; completed or
    /// cancelled) is ignored (``IgnoredReason/visitNotPlanned``): the transport worker acted on a
    /// plan trial access has since changed, and the ride is the coordinator's concern alone.
    mutating func markVisitAtRisk(_ report: TransportRiskReport) throws(TrialAccessRejection) {
        try InputValidation.nonEmpty(report.visitID, "visit_id")
        try InputValidation.nonEmpty(report.trialID, "trial_id")
        try InputValidation.nonEmpty(report.bookingID, "booking_id")
        guard var enrollment = enrollments.first(where: { $0.trialID == report.trialID }),
            let index = enrollment.visits.firstIndex(where: {
                $0.visit.visitID == report.visitID && $0.status == .planned
            })
        else {
            ignoredReason = IgnoredReason.visitNotPlanned
            reply = enrollments.first { $0.trialID == report.trialID }
            return
        }
        let risk = VisitTransportRisk(
            reason: report.reason, bookingID: report.bookingID, legID: report.legID, reasonCode: report.reasonCode,
            sourceEventID: command.eventID, reportedAt: recorder.now)
        enrollment.visits[index].record(risk)
        let eventID = recorder.emit(
            .visitAtRisk(VisitRisk(trialID: report.trialID, visitID: report.visitID, risk: risk)),
            for: enrollment.patientRef, suffix: "visit-at-risk/\(report.visitID)")
        var details = [
            "trial-id": report.trialID, "visit-id": report.visitID, "visit-risk": report.reason.rawValue,
            "booking-id": report.bookingID, "leg-id": report.legID, "source-event-id": command.eventID,
        ]
        if let code = report.reasonCode { details["reason"] = code }
        recorder.audit.append(
            EnrollmentAuditNote(
                auditID: "\(eventID)/audit", occurredAt: recorder.now, action: .stateTransition,
                subject: enrollment.patientRef, details: details))
        save(enrollment)
    }
}

extension PlannedVisit {
    /// Keeps `risk` as its leg's latest report, in the place the leg was first reported.
    mutating func record(_ risk: VisitTransportRisk) {
        if let leg = transportRisks.firstIndex(where: { $0.isLeg(bookingID: risk.bookingID, legID: risk.legID) }) {
            transportRisks[leg] = risk
        } else {
            transportRisks.append(risk)
        }
    }
}

extension VisitTransportRisk {
    func isLeg(bookingID: String, legID: String) -> Bool { self.bookingID == bookingID && self.legID == legID }
}
