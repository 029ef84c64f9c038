/// Collects what one decision emits; every id derives from ``cause``.
struct DecisionRecorder {
    let now: Int64
    let config: TrialAccessConfig
    /// Id of the input (recorded as the source of outputs and history entries).
    let inputEventID: String
    /// Prefix of output ids: the input id, `<input>/<trial>` when one input changes several
    /// enrollments, or `<input>/promotion/<trial>/<patient>` for a promotion.
    var cause: String
    /// Event time of the input (the decision time when not given): orders the waitlist.
    let factTime: Int64

    var outputs: [TrialAccessOutput] = []
    var audit: [EnrollmentAuditNote] = []
    var waitlistChanges: [WaitlistChange] = []
    var freedSlots: [SlotKey] = []
    var timers: [SlotTimerInstruction] = []
    /// Extra audit details for the next status change (open-referral evaluations).
    var evaluationDetails: [String: String] = [:]

    init(now: Int64, config: TrialAccessConfig, inputEventID: String, cause: String? = nil, factTime: Int64 = 0) {
        self.now = now
        self.config = config
        self.inputEventID = inputEventID
        self.cause = cause ?? inputEventID
        self.factTime = factTime > 0 ? factTime : now
    }

    /// Appends an output with id `<cause>/<suffix>`; returns the id.
    @discardableResult
    mutating func emit(_ body: TrialAccessOutput.Body, for patientRef: String, suffix: String) -> String {
        let eventID = "\(cause)/\(suffix)"
        outputs.append(
            TrialAccessOutput(
                eventID: eventID, patientRef: patientRef, occurredAt: now, sourceEventID: inputEventID, body: body))
        return eventID
    }

    /// The timer to set or cancel when an enrollment's held slot changed from `before` to `after`.
    mutating func recordTimers(before: Enrollment?, after: Enrollment) {
        func expiry(_ enrollment: Enrollment?) -> (slotID: String, fireAt: Int64)? {
            guard let slot = enrollment?.slot, let fireAt = slot.expiresAt else { return nil }
            return (slot.slotID, fireAt)
        }
        let old = expiry(before)
        let new = expiry(after)
        if let new {
            if old?.slotID != new.slotID || old?.fireAt != new.fireAt {
                timers.append(
                    .set(
                        ReservationTimer(
                            patientRef: after.patientRef, trialID: after.trialID, slotID: new.slotID, fireAt: new.fireAt
                        )))
            }
        } else if old != nil {
            timers.append(.cancel(timerID: ReservationTimer.id(patientRef: after.patientRef, trialID: after.trialID)))
        }
    }
}
