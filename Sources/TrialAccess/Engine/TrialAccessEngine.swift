/// Runs a command end to end over a ``TrialAccessRepository``: decides it, applies its waitlist
/// changes, and offers every freed slot to the waitlist (promoting the next patients). The wiring
/// saves the returned ``TrialAccessOutcome`` in the same transaction as the ledger's changes.
public enum TrialAccessEngine {
    /// Handles `command`. Throws only what the repository throws; a domain refusal is the
    /// `.failure` (then nothing is to be saved and the transaction should roll back).
    public static func handle<Repository: TrialAccessRepository, Ledger: SlotLedger>(
        _ command: TrialAccessCommand, repository: Repository, catalog: TrialCatalog, ledger: inout Ledger, now: Int64,
        config: TrialAccessConfig = .standard
    ) throws -> Result<TrialAccessOutcome, TrialAccessRejection> {
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
        for change in decision.waitlistChanges { try work.apply(change) }
        for slot in decision.freedSlots {
            try work.fill(
                slot: slot, causeEventID: command.eventID, catalog: catalog, ledger: &ledger, now: now, config: config)
        }
        return .success(work.finished())
    }

    /// Promotes waiting patients into free slots at one site until none is free or nobody waits
    /// for it: call it after a catalogue change raised a capacity or reopened a site or trial
    /// (after copying the capacity into the ledger). `causeEventID` names the cause, e.g.
    /// `catalog/<trialID>/<updatedAt>`.
    public static func fillFreeSlots<Repository: TrialAccessRepository, Ledger: SlotLedger>(
        at slot: SlotKey, causeEventID: String, repository: Repository, catalog: TrialCatalog, ledger: inout Ledger,
        now: Int64, config: TrialAccessConfig = .standard
    ) throws -> TrialAccessOutcome {
        var work = Workspace(repository: repository)
        try work.fill(
            slot: slot, causeEventID: causeEventID, catalog: catalog, ledger: &ledger, now: now, config: config)
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

    mutating func apply(_ change: WaitlistChange) throws {
        var list = try waitlist(change.trialID)
        if list.apply(change) { store(list) }
    }

    mutating func fill<Ledger: SlotLedger>(
        slot: SlotKey, causeEventID: String, catalog: TrialCatalog, ledger: inout Ledger, now: Int64,
        config: TrialAccessConfig
    ) throws {
        while true {
            let list = try waitlist(slot.trialID)
            let promotion = try TrialAccessDecider().promoteFromWaitlist(
                slot: slot, causeEventID: causeEventID, waitlist: list,
                enrollmentOf: { patientRef in try enrollment(patientRef: patientRef, trialID: slot.trialID) },
                catalog: catalog, ledger: &ledger, now: now, config: config)
            if promotion.waitlistChanged { store(promotion.waitlist) }
            guard let promoted = promotion.promoted else { return }
            absorb(
                enrollments: [promoted], outputs: promotion.outputs, timers: promotion.timers, audit: promotion.audit)
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

    private mutating func waitlist(_ trialID: String) throws -> Waitlist {
        if let held = waitlists[trialID] { return held }
        let loaded = try repository.waitlist(trialID: trialID) ?? Waitlist(trialID: trialID)
        waitlists[trialID] = loaded
        return loaded
    }

    private mutating func store(_ list: Waitlist) {
        waitlists[list.trialID] = list
        changedWaitlists.append(list.trialID)
    }
}
