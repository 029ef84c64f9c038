/// Runs a command end to end over a ``TrialAccessRepository``: decides it, applies its waitlist
/// changes, and offers every freed slot to the waitlist (holding it for the next patient, who is
/// promoted by the offer command, ``TrialAccessOutcome/offers``). The wiring saves the returned
/// ``TrialAccessOutcome`` in the same transaction as the ledger's changes.
public enum TrialAccessEngine {
    /// Handles `command`. Throws only what the repository throws; a domain refusal is the
    /// `.failure` (then nothing is to be saved and the transaction should roll back).
    public static func handle<Repository: TrialAccessRepository, Ledger: SlotLedger>(
        _ command: TrialAccessCommand, repository: Repository, catalog: TrialCatalog, ledger: inout Ledger, now: Int64,
        config: TrialAccessConfig = .standard
    ) throws -> Result<TrialAccessOutcome, TrialAccessRejection> {
        if case .waitlistSlotOffered(let offer) = command.body {
            return .success(
                try accept(
                    command, offer: offer, repository: repository, catalog: catalog, ledger: &ledger, now: now,
                    config: config))
        }
        let enrollments = try repository.enrollments(patientRef: command.patientRef)
        let decision: TrialAccessDecision
        switch TrialAccessDecider().decide(
            command, enrollments: enrollments, catalog: catalog, ledger: &ledger, now: now, config: config)
        {
        case .failure(let rejection): return .failure(rejection)
        case .success(let decided): decision = decided
        }
        var work = Workspace(repository: repository)
        work.outcome.reply = decision.reply
        work.outcome.evaluations = decision.evaluations
        work.outcome.ignoredReason = decision.ignoredReason
        work.absorb(
            enrollments: decision.enrollments, outputs: decision.outputs, timers: decision.timers, audit: decision.audit
        )
        var freed = decision.freedSlots
        for change in decision.waitlistChanges { freed += try work.apply(change, ledger: &ledger) }
        for slot in freed {
            try work.fill(
                slot: slot, causeEventID: command.eventID, catalog: catalog, ledger: &ledger, now: now)
        }
        return .success(work.finished())
    }

    /// Offers free slots at one site to waiting patients (``TrialAccessOutcome/offers``) until none
    /// is free or nobody waits for it: call it after a catalogue change raised a capacity or reopened a site or trial
    /// (after copying the capacity into the ledger). `causeEventID` names the cause, e.g.
    /// `catalog/<trialID>/<updatedAt>`.
    public static func fillFreeSlots<Repository: TrialAccessRepository, Ledger: SlotLedger>(
        at slot: SlotKey, causeEventID: String, repository: Repository, catalog: TrialCatalog, ledger: inout Ledger,
        now: Int64
    ) throws -> TrialAccessOutcome {
        var work = Workspace(repository: repository)
        try work.fill(slot: slot, causeEventID: causeEventID, catalog: catalog, ledger: &ledger, now: now)
        return work.finished()
    }

    /// An offer command: promotes the patient into the held slot, or gives the slot back and offers
    /// it to the next patient (``TrialAccessDecider/acceptOffer(_:waitlist:enrollment:catalog:ledger:now:config:)``).
    private static func accept<Repository: TrialAccessRepository, Ledger: SlotLedger>(
        _ command: TrialAccessCommand, offer: WaitlistSlotOffer, repository: Repository, catalog: TrialCatalog,
        ledger: inout Ledger, now: Int64, config: TrialAccessConfig
    ) throws -> TrialAccessOutcome {
        var work = Workspace(repository: repository)
        let enrollment = try repository.enrollments(patientRef: command.patientRef).first { $0.trialID == offer.trialID }
        let promotion = TrialAccessDecider().acceptOffer(
            command, waitlist: try work.waitlist(offer.trialID), enrollment: enrollment, catalog: catalog,
            ledger: &ledger, now: now, config: config)
        if promotion.waitlistChanged { work.store(promotion.waitlist) }
        if let promoted = promotion.promoted {
            work.absorb(
                enrollments: [promoted], outputs: promotion.outputs, timers: promotion.timers, audit: promotion.audit)
            work.outcome.reply = promoted
        } else {
            work.outcome.reply = enrollment
            if !promotion.waitlistChanged { work.outcome.ignoredReason = IgnoredReason.offerNotHeld }
        }
        if let slot = promotion.freedSlot {
            try work.fill(
                slot: slot, causeEventID: command.eventID, catalog: catalog, ledger: &ledger, now: now)
        }
        return work.finished()
    }
}

/// Aggregates loaded and changed while one command runs.
private struct Workspace<Repository: TrialAccessRepository> {
    let repository: Repository
    var outcome = TrialAccessOutcome()
    private var enrollments: [String: [String: Enrollment]] = [:]
    private var changedEnrollments: [(patientRef: String, trialID: String)] = []
    private var waitlists: [String: Waitlist] = [:]
    private var changedWaitlists: [String] = []

    init(repository: Repository) { self.repository = repository }

    mutating func absorb(
        enrollments changed: [Enrollment], outputs: [TrialAccessOutput], timers: [SlotTimerInstruction],
        audit: [EnrollmentAuditNote]
    ) {
        for enrollment in changed {
            enrollments[enrollment.patientRef, default: [:]][enrollment.trialID] = enrollment
            changedEnrollments.append((enrollment.patientRef, enrollment.trialID))
        }
        outcome.outputs += outputs
        outcome.timers += timers
        outcome.audit += audit
    }

    /// Applies a change; a patient taken off the list while a slot was held for them gives it back
    /// (returned, to offer to the next patient).
    mutating func apply<Ledger: SlotLedger>(_ change: WaitlistChange, ledger: inout Ledger) throws -> [SlotKey] {
        var list = try waitlist(change.trialID)
        var freed: [SlotKey] = []
        if case .remove(let trialID, let patientRef) = change, let held = list.entry(of: patientRef)?.offer {
            ledger.release(trialID: trialID, siteID: held.siteID)
            freed.append(SlotKey(trialID: trialID, siteID: held.siteID))
        }
        if list.apply(change) { store(list) }
        return freed
    }

    mutating func fill<Ledger: SlotLedger>(
        slot: SlotKey, causeEventID: String, catalog: TrialCatalog, ledger: inout Ledger, now: Int64
    ) throws {
        while true {
            let list = try waitlist(slot.trialID)
            let offering = try TrialAccessDecider().offerFromWaitlist(
                slot: slot, causeEventID: causeEventID, waitlist: list,
                enrollmentOf: { patientRef in try enrollment(patientRef: patientRef, trialID: slot.trialID) },
                catalog: catalog, ledger: &ledger, now: now)
            if offering.waitlistChanged { store(offering.waitlist) }
            guard let offer = offering.offer else { return }
            outcome.offers.append(offer)
        }
    }

    func finished() -> TrialAccessOutcome {
        var result = outcome
        var seen: Set<String> = []
        result.enrollments = changedEnrollments.compactMap { key in
            guard seen.insert("\(key.patientRef)\u{1F}\(key.trialID)").inserted else { return nil }
            return enrollments[key.patientRef]?[key.trialID]
        }
        result.waitlists = changedWaitlists.uniqued().compactMap { waitlists[$0] }
        return result
    }

    private func enrollment(patientRef: String, trialID: String) throws -> Enrollment? {
        if let held = enrollments[patientRef]?[trialID] { return held }
        return try repository.enrollments(patientRef: patientRef).first { $0.trialID == trialID }
    }

    mutating func waitlist(_ trialID: String) throws -> Waitlist {
        if let held = waitlists[trialID] { return held }
        let loaded = try repository.waitlist(trialID: trialID) ?? Waitlist(trialID: trialID)
        waitlists[trialID] = loaded
        return loaded
    }

    mutating func store(_ list: Waitlist) {
        waitlists[list.trialID] = list
        changedWaitlists.append(list.trialID)
    }
}
