/// Machine codes this module writes into `reasonCode` fields and ignored decisions.
enum ReasonCode {
    static let offered = "OFFERED"
    /// A coordinator offered a leg that needed attention to a partner they named (RebookRide).
    static let rebookedByCoordinator = "REBOOKED_BY_COORDINATOR"
    /// A coordinator moved a leg's pickup window when rebooking it (e.g. a return the next day).
    static let pickupWindowMoved = "PICKUP_WINDOW_MOVED"
    static let offerTimedOut = "OFFER_TIMED_OUT"
    static let impliedAcceptance = "IMPLIED_BY_PARTNER_UPDATE"
    static let cancelled = "CANCELLED"
    static let visitRescheduled = "VISIT_RESCHEDULED"
    static let outboundNoShow = "OUTBOUND_NO_SHOW"
    static let dataErased = "DATA_ERASED"
    static let personalDataErased = "PERSONAL_DATA_ERASED"
    static let invalidPartnerUpdate = "INVALID_PARTNER_UPDATE"
    /// The return leg would end the travel day too late (``AttentionReason/overnightStay``).
    static let overnightStay = "OVERNIGHT_STAY"

    // Ignored decisions.
    static let alreadyApplied = "ALREADY_APPLIED"
    static let alreadyBooked = "ALREADY_BOOKED"
    static let duplicatePartnerUpdate = "DUPLICATE_PARTNER_UPDATE"
    static let staleStatus = "STALE_STATUS"
    static let notCurrentPartner = "NOT_CURRENT_PARTNER"
    static let staleTimer = "STALE_TIMER"
    static let nothingToCancel = "NOTHING_TO_CANCEL"
    static let nothingChanged = "NOTHING_CHANGED"
    static let nothingToReschedule = "NOTHING_TO_RESCHEDULE"
    static let alreadyErased = "ALREADY_ERASED"
}
