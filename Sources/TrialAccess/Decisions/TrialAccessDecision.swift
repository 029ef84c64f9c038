/// What a command decided: the aggregates after it and everything the wiring writes in the same
/// transaction (events, waitlist changes, timers, audit records). Slot counters were already
/// changed through the ``SlotLedger`` passed in.
public struct TrialAccessDecision: Sendable, Hashable {
    /// Enrollments created or changed, to save (usually one; several when a consent without a
    /// trial applies to every enrollment of the patient).
    public var enrollments: [Enrollment]
    /// The enrollment an RPC reply carries (also set when nothing changed).
    public var reply: Enrollment?
    /// Changes to apply to trial waitlists (load, ``Waitlist/apply(_:)``, save).
    public var waitlistChanges: [WaitlistChange]
    /// Slots given back: the wiring offers each to the waitlist
    /// (``TrialAccessDecider/offerFromWaitlist(slot:causeEventID:waitlist:enrollmentOf:catalog:ledger:now:)``,
    /// or ``TrialAccessEngine`` which does it all).
    public var freedSlots: [SlotKey]
    /// For `trial.access.events.v1`, in order.
    public var outputs: [TrialAccessOutput]
    /// Timers to set or cancel.
    public var timers: [SlotTimerInstruction]
    /// For `trialtransit.audit.v1`.
    public var audit: [EnrollmentAuditNote]
    /// Every trial evaluated for a referral (failed and missing codes per trial).
    public var evaluations: [TrialEvaluation]
    /// Set when the command changed nothing (``IgnoredReason``), for logs and metrics.
    public var ignoredReason: String?

    public init(
        enrollments: [Enrollment] = [], reply: Enrollment? = nil, waitlistChanges: [WaitlistChange] = [],
        freedSlots: [SlotKey] = [], outputs: [TrialAccessOutput] = [], timers: [SlotTimerInstruction] = [],
        audit: [EnrollmentAuditNote] = [], evaluations: [TrialEvaluation] = [], ignoredReason: String? = nil
    ) {
        self.enrollments = enrollments
        self.reply = reply
        self.waitlistChanges = waitlistChanges
        self.freedSlots = freedSlots
        self.outputs = outputs
        self.timers = timers
        self.audit = audit
        self.evaluations = evaluations
        self.ignoredReason = ignoredReason
    }
}

/// What offering one freed slot to a trial's waitlist decided.
public struct WaitlistSlotOffering: Sendable, Hashable {
    /// The waitlist after it (offer recorded, stale entries removed); save when ``waitlistChanged``.
    public var waitlist: Waitlist
    public var waitlistChanged: Bool
    /// The offer command for the first waiting patient who can take the slot (reserved in the
    /// ledger for them), to write keyed by that patient; nil when nobody was offered it (nobody
    /// waiting for that site, the site or trial closed, or the slot taken).
    public var offer: TrialAccessCommand?
}

/// What an offer command decided for the offered patient.
public struct WaitlistPromotion: Sendable, Hashable {
    /// The waitlist after it (the patient's entry removed, or its offer taken back); save when
    /// ``waitlistChanged``.
    public var waitlist: Waitlist
    public var waitlistChanged: Bool
    /// The promoted patient's enrollment (now eligible or screening), to save; nil when nobody was
    /// promoted (the offer not held, the patient no longer waiting, the site closed).
    public var promoted: Enrollment?
    public var outputs: [TrialAccessOutput]
    public var timers: [SlotTimerInstruction]
    public var audit: [EnrollmentAuditNote]
    /// The held slot, given back to the ledger when the patient could not take it: offer it again.
    public var freedSlot: SlotKey?
}
