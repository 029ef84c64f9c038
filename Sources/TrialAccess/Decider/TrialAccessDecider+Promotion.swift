extension TrialAccessDecider {
    /// Offers one free slot at `slot` to the trial's waitlist: the first patient in line whose
    /// reachable sites include the site is promoted (waitlisted -> eligible, slot reserved, expiry
    /// timer set; straight on to screening when PARTICIPATION consent is held).
    ///
    /// Entries whose enrollment is gone or no longer waitlisted are dropped on the way. Nobody is
    /// promoted when the trial or site no longer recruits, nobody waits for the site, or the
    /// ledger has no free slot (someone else took it). Call it again while it promotes to fill
    /// several free slots (e.g. after a capacity increase).
    ///
    /// - Parameters:
    ///   - causeEventID: id of the input that freed the slot; output ids are
    ///     `<cause>/promotion/<trial>/<patient>/...`.
    ///   - enrollmentOf: loads a waiting patient's enrollment in this trial (from the store).
    public func promoteFromWaitlist<Ledger: SlotLedger>(
        slot: SlotKey, causeEventID: String, waitlist: Waitlist, enrollmentOf: (String) throws -> Enrollment?,
        catalog: TrialCatalog, ledger: inout Ledger, now: Int64, config: TrialAccessConfig = .standard
    ) rethrows -> WaitlistPromotion {
        var list = waitlist
        var result = WaitlistPromotion(
            waitlist: list, waitlistChanged: false, promoted: nil, outputs: [], timers: [], audit: [])
        guard list.trialID == slot.trialID,
            catalog.trial(id: slot.trialID)?.acceptsPatients(atSite: slot.siteID) == true
        else {
            return result
        }
        while let entry = list.nextCandidate(forSite: slot.siteID) {
            guard let enrollment = try enrollmentOf(entry.patientRef), enrollment.patientRef == entry.patientRef,
                enrollment.trialID == slot.trialID, enrollment.state == .waitlisted
            else {
                list.apply(.remove(trialID: slot.trialID, patientRef: entry.patientRef))
                result.waitlist = list
                result.waitlistChanged = true
                continue
            }
            guard ledger.reserve(trialID: slot.trialID, siteID: slot.siteID) else { break }
            let site =
                entry.reachableSites.first { $0.siteID == slot.siteID }
                ?? ReachableSite(siteID: slot.siteID, distanceKm: 0)
            var recorder = DecisionRecorder(
                now: now, config: config, inputEventID: causeEventID,
                cause: "\(causeEventID)/promotion/\(slot.trialID)/\(entry.patientRef)")
            var promoted = enrollment
            do throws(TrialAccessRejection) {
                promoted.siteID = site.siteID
                promoted.siteDistanceKm = site.distanceKm
                try promoted.move(
                    to: .eligible, reasons: [StatusReason.promotedFromWaitlist], recorder: &recorder, ledger: &ledger)
                promoted.holdSlot(at: site, recorder: &recorder)
                try promoted.startScreeningIfConsented(recorder: &recorder, ledger: &ledger)
            } catch {
                // Unreachable (waitlisted -> eligible -> screening is always allowed); keep the books straight anyway.
                ledger.release(trialID: slot.trialID, siteID: slot.siteID)
                break
            }
            _ = promoted.finish(before: enrollment, eventID: recorder.cause, recorder: &recorder)
            for change in recorder.waitlistChanges { list.apply(change) }
            return WaitlistPromotion(
                waitlist: list, waitlistChanged: true, promoted: promoted, outputs: recorder.outputs,
                timers: recorder.timers,
                audit: recorder.audit)
        }
        return result
    }
}
