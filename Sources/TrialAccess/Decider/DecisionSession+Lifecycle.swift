/// Screening, confirmation, withdrawal and reservation expiry.
extension DecisionSession {
    mutating func completeScreening<Ledger: SlotLedger>(
        _ result: ScreeningResult, ledger: inout Ledger
    ) throws(TrialAccessRejection) {
        try InputValidation.nonEmpty(result.trialID, "trial_id")
        for (index, code) in result.failedCriteria.enumerated() {
            try InputValidation.code(code, "failed_criteria[\(index)]")
        }
        var enrollment = try enrollment(for: result.trialID)
        guard enrollment.state == .screening else { throw notAllowed(in: enrollment) }
        switch result.outcome {
        case .passed:
            try enrollment.move(
                to: .pendingOnStudy, reasons: [StatusReason.screeningPassed], slotRelease: .screeningCompleted,
                recorder: &recorder, ledger: &ledger)
        case .failed:
            try enrollment.move(
                to: .offStudy, reasons: [StatusReason.screeningFailed] + result.failedCriteria,
                slotRelease: .screeningCompleted, travelReason: .visitCancelled, recorder: &recorder, ledger: &ledger)
        }
        save(enrollment)
    }

    mutating func confirmEnrollment<Ledger: SlotLedger>(
        _ confirmation: EnrollmentConfirmation, ledger: inout Ledger
    ) throws(TrialAccessRejection) {
        try InputValidation.nonEmpty(confirmation.trialID, "trial_id")
        try InputValidation.code(confirmation.armCode, "arm_code")
        var enrollment = try enrollment(for: confirmation.trialID)
        guard enrollment.state == .pendingOnStudy else { throw notAllowed(in: enrollment) }
        if let siteID = confirmation.siteID.nonEmpty { enrollment.siteID = siteID }
        enrollment.armCode = confirmation.armCode.nonEmpty
        try enrollment.move(
            to: .onStudy, reasons: [StatusReason.enrollmentConfirmed], recorder: &recorder, ledger: &ledger)
        save(enrollment)
    }

    mutating func withdrawPatient<Ledger: SlotLedger>(
        _ withdrawal: PatientWithdrawal, ledger: inout Ledger
    ) throws(TrialAccessRejection) {
        try InputValidation.nonEmpty(withdrawal.trialID, "trial_id")
        var enrollment = try enrollment(for: withdrawal.trialID)
        guard !enrollment.state.isTerminal else { throw notAllowed(in: enrollment) }
        try enrollment.move(
            to: .withdrawn, reasons: [StatusReason.patientWithdrawn], withdrawal: withdrawal.reason,
            slotRelease: .patientWithdrawn, travelReason: .patientWithdrawn, recorder: &recorder, ledger: &ledger)
        save(enrollment)
    }

    /// The slot lapses unless screening started: eligible -> needs-review (`SLOT_EXPIRED`), the
    /// slot goes back and is offered to the waitlist. A timer for a slot no longer held is ignored.
    mutating func expireReservation<Ledger: SlotLedger>(
        _ expiry: ReservationExpiry, ledger: inout Ledger
    ) throws(TrialAccessRejection) {
        guard let enrollment = enrollments.first(where: { $0.trialID == expiry.trialID }),
            enrollment.state == .eligible, let slot = enrollment.slot, slot.slotID == expiry.slotID,
            slot.expiresAt != nil
        else {
            ignoredReason = IgnoredReason.staleTimer
            reply = enrollments.first { $0.trialID == expiry.trialID }
            return
        }
        var expiring = enrollment
        try expiring.move(
            to: .needsReview, reasons: [StatusReason.slotExpired], unmet: [StatusReason.slotExpired],
            slotRelease: .expired,
            travelReason: .visitCancelled, recorder: &recorder, ledger: &ledger)
        save(expiring)
    }

    /// Trial access keeps no personal data (the home location is never stored): nothing to
    /// delete, but the request is audited.
    mutating func erasePersonalData(_ erasureRequestID: String) {
        recorder.audit.append(
            EnrollmentAuditNote(
                auditID: "\(command.eventID)/audit/erasure", occurredAt: recorder.now, action: .erasure,
                subject: command.patientRef,
                details: [
                    "erasure-request-id": erasureRequestID, "home-location": "not-retained",
                    "enrollments": String(enrollments.count), "source-event-id": command.eventID,
                ]))
        ignoredReason = IgnoredReason.nothingToErase
        reply = enrollments.max { $0.updatedAt < $1.updatedAt }
    }
}
