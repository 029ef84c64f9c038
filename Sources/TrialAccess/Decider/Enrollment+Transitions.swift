/// State changes and the invariants they keep: a slot is held only while eligible or screening,
/// the patient is on the waitlist only while waitlisted, and visits are planned only in visit
/// states. Every change is recorded in the history, as an `EnrollmentStatusChanged` output and as
/// an audit note.
extension Enrollment {
    /// Moves to `next`, or throws ``RejectionCode/invalidTransition`` before changing
    /// anything. Leaving a slot state releases the slot (`slotRelease`); leaving the visit states
    /// cancels open visits and retracts their travel (`travelReason`).
    mutating func move<Ledger: SlotLedger>(
        to next: EnrollmentState, reasons: [String], unmet: [String] = [], withdrawal: WithdrawalReason? = nil,
        slotRelease: SlotReleaseReason = .other, travelReason: TravelRetractionReason = .visitCancelled,
        recorder: inout DecisionRecorder, ledger: inout Ledger
    ) throws(TrialAccessRejection) {
        guard state.canMove(to: next) else {
            throw TrialAccessRejection(
                .invalidTransition, "cannot move from \(state.rawValue) to \(next.rawValue) in trial \(trialID)",
                state: state)
        }
        let previous = state
        let reasons = reasons.uniqued()
        let withdrawal = next == .withdrawn ? (withdrawal ?? .other) : nil
        state = next
        unmetCriteria = unmet
        withdrawalReason = withdrawal
        history.append(
            StatusTransition(
                from: previous, to: next, reasonCodes: reasons, withdrawalReason: withdrawal,
                sourceEventID: recorder.inputEventID, at: recorder.now))
        let statusID = recorder.emit(
            .statusChanged(
                EnrollmentStatusChange(
                    trialID: trialID, siteID: siteID, previousState: previous, state: next, reasonCodes: reasons,
                    withdrawalReason: withdrawal)),
            for: patientRef, suffix: "status/\(next.rawValue)")
        var details = [
            "trial-id": trialID, "previous-state": previous.rawValue, "state": next.rawValue,
            "reason-codes": reasons.joined(separator: ","), "source-event-id": recorder.inputEventID,
        ]
        if let siteID { details["site-id"] = siteID }
        if let withdrawal { details["withdrawal-reason"] = withdrawal.rawValue }
        details.merge(recorder.evaluationDetails) { held, _ in held }
        recorder.evaluationDetails = [:]
        recorder.audit.append(
            EnrollmentAuditNote(
                auditID: "\(statusID)/audit", occurredAt: recorder.now, action: .stateTransition, subject: patientRef,
                details: details))

        if previous == .waitlisted, next != .waitlisted {
            recorder.waitlistChanges.append(.remove(trialID: trialID, patientRef: patientRef))
        }
        if next == .waitlisted {
            recorder.waitlistChanges.append(
                .enqueue(
                    trialID: trialID, patientRef: patientRef, queuedAt: recorder.factTime,
                    reachableSites: reachableSites,
                    sourceEventID: recorder.inputEventID))
        } else {
            reachableSites = []
        }
        if !next.holdsSlot { releaseSlot(reason: slotRelease, recorder: &recorder, ledger: &ledger) }
        if !next.allowsVisits { cancelOpenVisits(reason: travelReason, recorder: &recorder) }
        if next == .ineligible || next == .needsReview || next == .waitlisted {
            siteID = nil
            siteDistanceKm = nil
        }
    }

    /// Records a slot the ledger just reserved at `site` and emits `SlotReserved`.
    mutating func holdSlot(at site: ReachableSite, recorder: inout DecisionRecorder) {
        let (sum, overflow) = recorder.now.addingReportingOverflow(max(0, recorder.config.reservationTTL))
        let expiresAt = overflow ? Int64.max : sum
        let hold = SlotHold(
            slotID: "\(recorder.cause)/slot", siteID: site.siteID, reservedAt: recorder.now, expiresAt: expiresAt)
        slot = hold
        siteID = site.siteID
        siteDistanceKm = site.distanceKm
        recorder.emit(
            .slotReserved(
                SlotReservation(
                    trialID: trialID, siteID: site.siteID, slotID: hold.slotID, expiresAt: expiresAt,
                    distanceKm: site.wholeKm)),
            for: patientRef, suffix: "slot-reserved")
    }

    /// Gives the held slot back to the ledger, emits `SlotReleased` and reports the freed slot.
    mutating func releaseSlot<Ledger: SlotLedger>(
        reason: SlotReleaseReason, recorder: inout DecisionRecorder, ledger: inout Ledger
    ) {
        guard let held = slot else { return }
        ledger.release(trialID: trialID, siteID: held.siteID)
        slot = nil
        recorder.freedSlots.append(SlotKey(trialID: trialID, siteID: held.siteID))
        recorder.emit(
            .slotReleased(SlotRelease(trialID: trialID, siteID: held.siteID, slotID: held.slotID, reason: reason)),
            for: patientRef, suffix: "slot-released")
    }

    /// Eligible with PARTICIPATION consent held: screening starts and the slot no longer lapses.
    mutating func startScreeningIfConsented<Ledger: SlotLedger>(
        recorder: inout DecisionRecorder, ledger: inout Ledger
    ) throws(TrialAccessRejection) {
        guard state == .eligible, holdsConsent(.participation) else { return }
        try move(to: .screening, reasons: [StatusReason.participationConsented], recorder: &recorder, ledger: &ledger)
        slot?.expiresAt = nil
    }

    /// Marks the enrollment changed by `eventID` when it differs from `before`; returns whether it did.
    mutating func finish(before: Enrollment?, eventID: String, recorder: inout DecisionRecorder) -> Bool {
        guard before != self else { return false }
        if !appliedEventIDs.contains(eventID) { appliedEventIDs.append(eventID) }
        updatedAt = recorder.now
        revision = (before?.revision ?? revision) + 1
        recorder.recordTimers(before: before, after: self)
        return true
    }
}
