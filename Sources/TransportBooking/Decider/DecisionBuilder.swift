/// Accumulates one decision: mutates the booking and collects outputs with ids derived from the
/// input id. Every status change goes through ``transition(_:to:reason:partnerID:sequence:)`` so
/// that it lands in the leg's history and the audit trail.
struct DecisionBuilder {
    var booking: Booking
    let inputID: String
    let now: Int64
    let partners: PartnerDirectory
    let config: BookingConfig
    private(set) var events: [BookingEvent] = []
    private(set) var commands: [PartnerCommand] = []
    private(set) var timers: [TimerInstruction] = []
    private(set) var audit: [AuditNote] = []
    private var changed = false

    init(booking: Booking, inputID: String, now: Int64, partners: PartnerDirectory, config: BookingConfig) {
        self.booking = booking
        self.inputID = inputID
        self.now = now
        self.partners = partners
        self.config = config
    }

    /// The finished decision; `updatedAt` moves only when something changed.
    func decision() -> BookingDecision {
        var result = booking
        if changed || !events.isEmpty { result.updatedAt = now }
        return BookingDecision(booking: result, events: events, partnerCommands: commands, timers: timers, audit: audit)
    }

    /// Marks the booking as changed without an event (ETA refresh, sequence bookkeeping).
    mutating func markChanged() { changed = true }

    // MARK: Status changes

    /// Moves leg `index` to `status`, appending history and an audit record.
    mutating func transition(
        _ index: Int, to status: RideStatus, reason: String, partnerID: String? = nil, sequence: UInt64? = nil
    ) {
        let from = booking.legs[index].status
        assert(LegTransitionRules.isAllowed(from: from, to: status), "illegal transition \(from) -> \(status)")
        booking.legs[index].status = status
        record(index, from: from, to: status, reason: reason, partnerID: partnerID, sequence: sequence)
    }

    /// Records the creation of leg `index` (status requested).
    mutating func recordCreation(_ index: Int, reason: String) {
        record(index, from: nil, to: .requested, reason: reason, partnerID: nil, sequence: nil)
    }

    private mutating func record(
        _ index: Int, from: RideStatus?, to: RideStatus, reason: String, partnerID: String?, sequence: UInt64?
    ) {
        let leg = booking.legs[index]
        booking.legs[index].history.append(
            LegTransition(
                from: from, to: to, reasonCode: reason, sourceEventID: inputID, at: now, partnerID: partnerID,
                partnerSequence: sequence))
        var details = [
            "booking-id": booking.bookingID, "leg-id": leg.legID, "state": to.protoName, "reason": reason,
            "source-event-id": inputID,
        ]
        if let from { details["previous-state"] = from.protoName }
        if let partnerID { details["partner-id"] = partnerID }
        note(.stateTransition, details)
        changed = true
    }

    /// Appends an audit record.
    mutating func note(_ action: AuditNote.Action, _ details: [String: String]) {
        audit.append(
            AuditNote(
                auditID: "\(inputID)/audit/\(audit.count + 1)", occurredAt: now, actor: config.auditActor,
                action: action, subject: booking.bookingID, details: details))
    }

    // MARK: Outputs

    mutating func emit(_ kind: String, leg legID: String?, _ body: BookingEventBody) {
        let id = legID.map { "\(inputID)/\(kind)/\($0)" } ?? "\(inputID)/\(kind)"
        events.append(BookingEvent(eventID: id, occurredAt: now, patientRef: booking.patientRef, body: body))
    }

    /// `RideStatusChanged` for leg `index`, now in its new status; id `<input>/status/<leg>/<status>`.
    mutating func emitStatusChanged(
        _ index: Int, from: RideStatus, partnerID: String?, sequence: UInt64?, reason: String
    ) {
        let leg = booking.legs[index]
        emit(
            "status", leg: "\(leg.legID)/\(leg.status.rawValue)",
            .rideStatusChanged(
                RideStatusChanged(
                    bookingID: booking.bookingID, legID: leg.legID, partnerID: partnerID, previousStatus: from,
                    status: leg.status, partnerSequence: sequence, etaAt: leg.etaAt, reasonCode: reason)))
    }

    mutating func send(_ suffix: String, to partnerID: String, _ body: PartnerCommandBody) {
        commands.append(
            PartnerCommand(eventID: "\(inputID)/\(suffix)", occurredAt: now, partnerID: partnerID, body: body))
    }

    mutating func setTimer(_ timer: OfferTimer) { timers.append(.set(timer)) }

    mutating func cancelTimer(of index: Int) {
        if let id = booking.legs[index].offerTimerID(bookingID: booking.bookingID) {
            timers.append(.cancel(timerID: id))
        }
    }

    /// Index of the leg with this id.
    func index(of legID: String) -> Int? { booking.legs.firstIndex { $0.legID == legID } }

    /// Indices of the current schedule's legs.
    var currentIndices: [Int] { booking.legs.indices.filter { booking.legs[$0].revision == booking.revision } }
}
