import TransitWire

/// One item of the coordinators' worklist: a ride leg that needs attention, or an enrollment in
/// NEEDS_REVIEW. Carries ids and machine codes only (docs/SECURITY.md): no address, contact token
/// or free text ever reaches these topics.
struct AttentionItem: Sendable, Equatable {
    enum Kind: String, Sendable {
        case ride
        case review
    }

    var kind: Kind
    /// `<booking-id>/<leg-id>` for a ride, `<trial-id>/<patient-ref>` for a review.
    var id: String
    /// Pseudonymous patient ref (the Kafka key; needed to address the worker, shown by `show`).
    var patientRef: String
    var trialID: String
    var visitID: String
    var bookingID: String
    var legID: String
    /// AttentionReason name (rides) or the unmet criterion codes (reviews).
    var reason: String
    var reasonCode: String
    /// When it was raised, unix ms.
    var raisedAt: Int64
    /// Event id that raised it.
    var sourceEventID: String
}

/// Folds `transport.booking.events.v1`, `trial.access.events.v1` and the audit trail into the
/// open worklist: a `RideNeedsAttention` opens a ride item, a later offer, confirmation, status
/// change or cancellation of that leg (or of the whole booking) closes it; an
/// `EnrollmentStatusChanged` to NEEDS_REVIEW opens a review item, any later state change closes it;
/// an audit record `attention-resolution: handled` for the item's id closes either.
struct AttentionWorklist {
    private var open: [String: AttentionItem] = [:]
    private var order: [String] = []

    /// Open items, oldest first.
    var items: [AttentionItem] { order.compactMap { open[$0] } }

    mutating func apply(_ event: BookingEvent) {
        switch event.body {
        case .rideNeedsAttention(let attention):
            let id = "\(attention.bookingId)/\(attention.legId)"
            insert(
                AttentionItem(
                    kind: .ride, id: id, patientRef: event.patientRef, trialID: attention.trialId,
                    visitID: attention.visitId, bookingID: attention.bookingId, legID: attention.legId,
                    reason: attention.reason.name ?? "\(attention.reason.rawValue)", reasonCode: attention.reasonCode,
                    raisedAt: event.occurredAt, sourceEventID: event.eventId))
        case .rideOffered(let offered): close("\(offered.bookingId)/\(offered.legId)")
        case .rideConfirmed(let confirmed): close("\(confirmed.bookingId)/\(confirmed.legId)")
        case .rideStatusChanged(let changed): close("\(changed.bookingId)/\(changed.legId)")
        case .rideCancelled(let cancelled):
            if cancelled.legId.isEmpty {
                for id in order where id.hasPrefix(cancelled.bookingId + "/") { close(id) }
            } else {
                close("\(cancelled.bookingId)/\(cancelled.legId)")
            }
        default: break
        }
    }

    mutating func apply(_ event: TrialAccessEvent) {
        guard case .enrollmentStatusChanged(let change) = event.body else { return }
        let id = "\(change.trialId)/\(event.patientRef)"
        guard change.state == .needsReview else {
            close(id)
            return
        }
        insert(
            AttentionItem(
                kind: .review, id: id, patientRef: event.patientRef, trialID: change.trialId, visitID: "",
                bookingID: "", legID: "", reason: "NEEDS_REVIEW", reasonCode: change.reasonCodes.joined(separator: ","),
                raisedAt: event.occurredAt, sourceEventID: event.eventId))
    }

    /// An operator marked an item handled (`trialtransit attention resolve --handled`).
    mutating func apply(_ record: AuditRecord) {
        guard record.details[AttentionAudit.resolutionKey] == AttentionAudit.handled,
            let id = record.details[AttentionAudit.itemKey]
        else { return }
        close(id)
    }

    private mutating func insert(_ item: AttentionItem) {
        if open[item.id] == nil { order.append(item.id) }
        open[item.id] = item
    }

    private mutating func close(_ id: String) {
        guard open.removeValue(forKey: id) != nil else { return }
        order.removeAll { $0 == id }
    }
}

/// The audit details `attention resolve` writes.
enum AttentionAudit {
    static let itemKey = "attention-item"
    static let resolutionKey = "attention-resolution"
    static let handled = "handled"
    static let rebooked = "rebooked"
    static let cancelled = "cancelled"
}
