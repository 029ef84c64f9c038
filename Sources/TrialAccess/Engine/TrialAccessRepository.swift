/// Read access to stored trial-access state, for ``TrialAccessEngine``. The wiring implements it
/// over its store transaction (reading rows for update, or remembering ``Enrollment/revision`` and
/// ``Waitlist/revision`` for conditional writes); errors it throws abort the command.
public protocol TrialAccessRepository {
    /// Every enrollment of a patient.
    func enrollments(patientRef: String) throws -> [Enrollment]
    /// The waitlist of a trial, nil when none was saved yet.
    func waitlist(trialID: String) throws -> Waitlist?
}

/// Everything a command changed, across aggregates, ready to be saved in one transaction.
public struct TrialAccessOutcome: Sendable, Hashable {
    /// Enrollments to save (the command's patient's only).
    public var enrollments: [Enrollment]
    /// Waitlists to save.
    public var waitlists: [Waitlist]
    /// For `trial.access.events.v1` (key = each output's `patientRef`, always the command's
    /// patient), in order.
    public var outputs: [TrialAccessOutput]
    /// Slots freed by the command and held for waiting patients: one offer command each, to write
    /// as `WaitlistSlotOffered` on `enrollment.events.v1` keyed by its patient, in the same
    /// transaction; the owner of that patient's partition promotes them (docs/TRIAL_ACCESS.md §5).
    public var offers: [TrialAccessCommand]
    public var timers: [SlotTimerInstruction]
    public var audit: [EnrollmentAuditNote]
    /// The enrollment an RPC reply carries.
    public var reply: Enrollment?
    /// Trials evaluated for a referral.
    public var evaluations: [TrialEvaluation]
    /// Set when the command itself changed nothing.
    public var ignoredReason: String?

    public init(
        enrollments: [Enrollment] = [], waitlists: [Waitlist] = [], outputs: [TrialAccessOutput] = [],
        offers: [TrialAccessCommand] = [], timers: [SlotTimerInstruction] = [], audit: [EnrollmentAuditNote] = [],
        reply: Enrollment? = nil, evaluations: [TrialEvaluation] = [], ignoredReason: String? = nil
    ) {
        self.enrollments = enrollments
        self.waitlists = waitlists
        self.outputs = outputs
        self.offers = offers
        self.timers = timers
        self.audit = audit
        self.reply = reply
        self.evaluations = evaluations
        self.ignoredReason = ignoredReason
    }
}
