/// The trial-access rules. Pure and deterministic: no clock, no randomness; the same inputs give
/// the same decision, output ids included.
///
/// The wiring loads every enrollment of the command's patient (the Kafka key), calls
/// ``decide(_:enrollments:catalog:ledger:now:config:)`` with a ``SlotLedger`` bound to its
/// transaction, and on success saves the decision's enrollments, applies its waitlist changes,
/// offers its freed slots to the waitlist, and writes outputs, timers and audit notes, all in
/// that transaction. ``TrialAccessEngine`` does exactly this over a ``TrialAccessRepository``.
public struct TrialAccessDecider: Sendable {
    public init() {}

    /// Decides what `command` does.
    ///
    /// - Parameters:
    ///   - enrollments: every enrollment of `command.patientRef` (others are ignored).
    ///   - ledger: the shared slot counters; on a rejection every reservation and release this
    ///     call made is undone (the wiring should still roll its transaction back).
    ///   - now: decision time, unix ms.
    /// - Returns: the decision, or a rejection (nothing applied). A command an enrollment already
    ///   recorded (a replay) succeeds with no effect and ``IgnoredReason/alreadyApplied``.
    public func decide<Ledger: SlotLedger>(
        _ command: TrialAccessCommand, enrollments: [Enrollment], catalog: TrialCatalog, ledger: inout Ledger,
        now: Int64, config: TrialAccessConfig = .standard
    ) -> Result<TrialAccessDecision, TrialAccessRejection> {
        guard !command.eventID.isEmpty else {
            return .failure(TrialAccessRejection(.invalidArgument, "event id is empty"))
        }
        guard !command.patientRef.isEmpty else {
            return .failure(TrialAccessRejection(.invalidArgument, "patient ref is empty"))
        }
        let mine = enrollments.filter { $0.patientRef == command.patientRef }.sorted { $0.trialID < $1.trialID }
        if let replayed = mine.first(where: { $0.hasApplied(eventID: command.eventID) }) {
            return .success(TrialAccessDecision(reply: replayed, ignoredReason: IgnoredReason.alreadyApplied))
        }
        var journal = JournalingLedger(base: ledger)
        var session = DecisionSession(command: command, enrollments: mine, catalog: catalog, now: now, config: config)
        do throws(TrialAccessRejection) {
            try session.run(ledger: &journal)
            ledger = journal.base
            return .success(session.decision())
        } catch {
            journal.undo()
            ledger = journal.base
            return .failure(error)
        }
    }
}

/// The state of one ``TrialAccessDecider/decide(_:enrollments:catalog:ledger:now:config:)`` call.
struct DecisionSession {
    let command: TrialAccessCommand
    /// The patient's enrollments as they are after the changes so far, by trial id.
    var enrollments: [Enrollment]
    let original: [String: Enrollment]
    let catalog: TrialCatalog
    var recorder: DecisionRecorder
    var changedTrialIDs: [String] = []
    var reply: Enrollment?
    var evaluations: [TrialEvaluation] = []
    var ignoredReason: String?

    init(
        command: TrialAccessCommand, enrollments: [Enrollment], catalog: TrialCatalog, now: Int64,
        config: TrialAccessConfig
    ) {
        self.command = command
        self.enrollments = enrollments
        self.original = Dictionary(enrollments.map { ($0.trialID, $0) }, uniquingKeysWith: { first, _ in first })
        self.catalog = catalog
        self.recorder = DecisionRecorder(
            now: now, config: config, inputEventID: command.eventID, factTime: command.occurredAt)
    }

    mutating func run<Ledger: SlotLedger>(ledger: inout Ledger) throws(TrialAccessRejection) {
        switch command.body {
        case .patientReferred(let referral): try referPatient(referral, ledger: &ledger)
        case .consentRecorded(let consent): try recordConsent(consent, ledger: &ledger)
        case .consentWithdrawn(let withdrawal): try withdrawConsent(withdrawal, ledger: &ledger)
        case .screeningCompleted(let result): try completeScreening(result, ledger: &ledger)
        case .enrollmentConfirmed(let confirmation): try confirmEnrollment(confirmation, ledger: &ledger)
        case .visitScheduled(let visit): try scheduleVisit(visit)
        case .visitRescheduled(let change): try rescheduleVisit(change)
        case .visitCancelled(let cancellation): try cancelVisit(cancellation)
        case .visitCompleted(let completion): try completeVisit(completion, ledger: &ledger)
        case .patientWithdrawn(let withdrawal): try withdrawPatient(withdrawal, ledger: &ledger)
        case .travelAssistanceRequested(let request): try requestTravel(request)
        case .travelAssistanceCancelled(let cancellation): cancelTravel(cancellation)
        case .patientDataErasureRequested(let erasureRequestID): erasePersonalData(erasureRequestID)
        case .reservationExpired(let expiry): try expireReservation(expiry, ledger: &ledger)
        case .waitlistSlotOffered:
            // Needs the waitlist, which only the engine loads (TrialAccessDecider.acceptOffer).
            throw TrialAccessRejection(
                .invalidArgument, "a slot offer is decided with the trial's waitlist (TrialAccessEngine)")
        case .rideNeedsAttention(let report): try markVisitAtRisk(report)
        case .rideConfirmed(let ride): try clearVisitRisk(ride)
        case .adverseEventReported(let report): try respond(to: report, ledger: &ledger)
        }
    }

    func decision() -> TrialAccessDecision {
        let changed = changedTrialIDs.uniqued().compactMap { id in enrollments.first { $0.trialID == id } }
        let nothingHappened = changed.isEmpty && recorder.outputs.isEmpty && recorder.audit.isEmpty
        return TrialAccessDecision(
            enrollments: changed, reply: reply, waitlistChanges: recorder.waitlistChanges,
            freedSlots: recorder.freedSlots, outputs: recorder.outputs, timers: recorder.timers, audit: recorder.audit,
            evaluations: evaluations,
            ignoredReason: ignoredReason ?? (nothingHappened ? IgnoredReason.nothingChanged : nil))
    }

    // MARK: - Helpers for the handlers

    /// The patient's enrollment in `trialID`, or a NOT_FOUND rejection.
    func enrollment(for trialID: String) throws(TrialAccessRejection) -> Enrollment {
        guard let found = enrollments.first(where: { $0.trialID == trialID }) else {
            throw TrialAccessRejection(.notFound, "the patient has no enrollment in trial \(trialID)")
        }
        return found
    }

    /// Stores `enrollment` after a change (marks it changed when it differs from its original),
    /// and makes it the reply.
    mutating func save(_ enrollment: Enrollment) {
        var updated = enrollment
        let before = original[enrollment.trialID]
        if updated.finish(before: before, eventID: command.eventID, recorder: &recorder) {
            changedTrialIDs.append(updated.trialID)
        }
        if let index = enrollments.firstIndex(where: { $0.trialID == updated.trialID }) {
            enrollments[index] = updated
        } else {
            enrollments.append(updated)
        }
        reply = updated
    }

    /// Rejects with INVALID_TRANSITION naming the command and the state.
    func notAllowed(in enrollment: Enrollment) -> TrialAccessRejection {
        TrialAccessRejection(
            .invalidTransition,
            "\(command.body.name) is not allowed in state \(enrollment.state.rawValue) (trial \(enrollment.trialID))",
            state: enrollment.state)
    }

    /// Sets the output-id prefix for `enrollment` when one input changes several enrollments.
    mutating func useCause(for enrollment: Enrollment, fanOut: Bool) {
        recorder.cause = fanOut ? "\(command.eventID)/\(enrollment.trialID)" : command.eventID
    }
}

/// Wraps a ledger and remembers its operations so a rejected decision can undo them.
struct JournalingLedger<Base: SlotLedger>: SlotLedger {
    var base: Base
    private var journal: [(reserved: Bool, key: SlotKey)] = []

    init(base: Base) { self.base = base }

    mutating func reserve(trialID: String, siteID: String) -> Bool {
        guard base.reserve(trialID: trialID, siteID: siteID) else { return false }
        journal.append((true, SlotKey(trialID: trialID, siteID: siteID)))
        return true
    }

    mutating func release(trialID: String, siteID: String) {
        base.release(trialID: trialID, siteID: siteID)
        journal.append((false, SlotKey(trialID: trialID, siteID: siteID)))
    }

    /// Reverses every operation, newest first.
    mutating func undo() {
        for entry in journal.reversed() {
            if entry.reserved {
                base.release(trialID: entry.key.trialID, siteID: entry.key.siteID)
            } else {
                _ = base.reserve(trialID: entry.key.trialID, siteID: entry.key.siteID)
            }
        }
        journal.removeAll()
    }
}
