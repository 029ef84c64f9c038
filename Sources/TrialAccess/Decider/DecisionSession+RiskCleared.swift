/// `RideConfirmed`: a leg that put a planned visit at risk has a partner again.
extension DecisionSession {
    /// Removes the leg's risk from the planned visit it was reported for, emits `VisitRiskCleared`
    /// and audits it. A confirmation for a leg at risk nowhere (most confirmations) changes nothing
    /// (``IgnoredReason/noRiskToClear``).
    mutating func clearVisitRisk(_ ride: ConfirmedRide) throws(TrialAccessRejection) {
        try InputValidation.nonEmpty(ride.bookingID, "booking_id")
        try InputValidation.nonEmpty(ride.legID, "leg_id")
        for var enrollment in enrollments {
            for index in enrollment.visits.indices where enrollment.visits[index].status == .planned {
                guard
                    let leg = enrollment.visits[index].transportRisks.firstIndex(where: {
                        $0.isLeg(bookingID: ride.bookingID, legID: ride.legID)
                    })
                else { continue }
                let cleared = enrollment.visits[index].transportRisks.remove(at: leg)
                let visitID = enrollment.visits[index].visit.visitID
                let eventID = recorder.emit(
                    .visitRiskCleared(
                        VisitRiskClearance(
                            trialID: enrollment.trialID, visitID: visitID, bookingID: ride.bookingID, legID: ride.legID,
                            sourceEventID: command.eventID)),
                    for: enrollment.patientRef, suffix: "visit-risk-cleared/\(visitID)")
                recorder.audit.append(
                    EnrollmentAuditNote(
                        auditID: "\(eventID)/audit", occurredAt: recorder.now, action: .stateTransition,
                        subject: enrollment.patientRef,
                        details: [
                            "trial-id": enrollment.trialID, "visit-id": visitID, "visit-risk-cleared": cleared.reason.rawValue,
                            "booking-id": ride.bookingID, "leg-id": ride.legID, "source-event-id": command.eventID,
                        ]))
                save(enrollment)
                return
            }
        }
        ignoredReason = IgnoredReason.noRiskToClear
    }
}
