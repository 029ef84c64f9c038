extension TrialAccessDecider {
    /// Offers one free slot at `slot` to the trial's waitlist: the first patient in line whose
    /// reachable sites include the site gets it held (reserved in the ledger, the offer recorded on
    /// their entry) and an offer command keyed by them, which the owner of their partition decides
    /// with ``acceptOffer(_:waitlist:enrollment:catalog:ledger:now:config:)``. The patient's own
    /// outputs are written only there, after their earlier ones (docs/TRIAL_ACCESS.md §5).
    ///
    /// Entries whose enrollment is gone or no longer waitlisted are dropped on the way. Nobody is
    /// offered the slot when the trial or site no longer recruits, nobody waits for the site, or the
    /// ledger has no free slot (someone else took it). Call it again while it offers to fill
    /// several free slots (e.g. after a capacity increase).
    ///
    /// - Parameters:
    ///   - causeEventID: id of the input that freed the slot; the offer's event id is
    ///     `<cause>/promotion/<trial>/<patient>`, the promotion's output ids start with it.
    ///   - enrollmentOf: loads a waiting patient's enrollment in this trial (from the store).
    public func offerFromWaitlist<Ledger: SlotLedger>(
        slot: SlotKey, causeEventID: String, waitlist: Waitlist, enrollmentOf: (String) throws -> Enrollment?,
        catalog: TrialCatalog, ledger: inout Ledger, now: Int64
    ) rethrows -> WaitlistSlotOffering {
        var list = waitlist
        var result = WaitlistSlotOffering(waitlist: list, waitlistChanged: false, offer: nil)
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
            let offerID = "\(causeEventID)/promotion/\(slot.trialID)/\(entry.patientRef)"
            list.apply(
                .offer(
                    trialID: slot.trialID, patientRef: entry.patientRef,
                    offer: WaitlistOffer(offerID: offerID, siteID: slot.siteID)))
            return WaitlistSlotOffering(
                waitlist: list, waitlistChanged: true,
                offer: TrialAccessCommand(
                    eventID: offerID, patientRef: entry.patientRef, occurredAt: now,
                    body: .waitlistSlotOffered(WaitlistSlotOffer(trialID: slot.trialID, siteID: slot.siteID))))
        }
        return result
    }

    /// Decides an offer command (on the offered patient's partition): when the waitlist holds this
    /// offer for the patient and they still wait, they are promoted into the held slot (waitlisted
    /// -> eligible, slot held, expiry timer set; straight on to screening when PARTICIPATION consent
    /// is held). When they no longer wait, or the site stopped recruiting, the held slot is given
    /// back (``WaitlistPromotion/freedSlot``, to offer to the next patient). An offer the waitlist
    /// does not hold (taken up already, or not written by the engine) changes nothing.
    public func acceptOffer<Ledger: SlotLedger>(
        _ command: TrialAccessCommand, waitlist: Waitlist, enrollment: Enrollment?, catalog: TrialCatalog,
        ledger: inout Ledger, now: Int64, config: TrialAccessConfig = .standard
    ) -> WaitlistPromotion {
        var list = waitlist
        var result = WaitlistPromotion(
            waitlist: list, waitlistChanged: false, promoted: nil, outputs: [], timers: [], audit: [], freedSlot: nil)
        guard case .waitlistSlotOffered(let offered) = command.body, offered.trialID == waitlist.trialID,
            let entry = list.entry(of: command.patientRef), let offer = entry.offer, offer.offerID == command.eventID
        else {
            return result
        }
        let slot = SlotKey(trialID: offered.trialID, siteID: offer.siteID)
        let giveBack = { (list: inout Waitlist, result: inout WaitlistPromotion, ledger: inout Ledger) in
            ledger.release(trialID: slot.trialID, siteID: slot.siteID)
            result.freedSlot = slot
            result.waitlist = list
            result.waitlistChanged = true
        }
        guard let enrollment, enrollment.patientRef == command.patientRef, enrollment.trialID == slot.trialID,
            enrollment.state == .waitlisted
        else {
            list.apply(.remove(trialID: slot.trialID, patientRef: command.patientRef))
            giveBack(&list, &result, &ledger)
            return result
        }
        guard catalog.trial(id: slot.trialID)?.acceptsPatients(atSite: slot.siteID) == true else {
            list.apply(.offer(trialID: slot.trialID, patientRef: command.patientRef, offer: nil))
            giveBack(&list, &result, &ledger)
            return result
        }
        let site =
            entry.reachableSites.first { $0.siteID == slot.siteID } ?? ReachableSite(siteID: slot.siteID, distanceKm: 0)
        var recorder = DecisionRecorder(now: now, config: config, inputEventID: command.eventID, cause: command.eventID)
        var promoted = enrollment
        list.apply(.remove(trialID: slot.trialID, patientRef: command.patientRef))
        do throws(TrialAccessRejection) {
            promoted.siteID = site.siteID
            promoted.siteDistanceKm = site.distanceKm
            try promoted.move(
                to: .eligible, reasons: [StatusReason.promotedFromWaitlist], recorder: &recorder, ledger: &ledger)
            promoted.holdSlot(at: site, recorder: &recorder)
            try promoted.startScreeningIfConsented(recorder: &recorder, ledger: &ledger)
        } catch {
            // Unreachable (waitlisted -> eligible -> screening is always allowed); keep the books straight anyway.
            giveBack(&list, &result, &ledger)
            return result
        }
        _ = promoted.finish(before: enrollment, eventID: command.eventID, recorder: &recorder)
        for change in recorder.waitlistChanges { list.apply(change) }
        return WaitlistPromotion(
            waitlist: list, waitlistChanged: true, promoted: promoted, outputs: recorder.outputs,
            timers: recorder.timers, audit: recorder.audit, freedSlot: nil)
    }
}
