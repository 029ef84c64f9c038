extension RideStatus {
    /// Progress rank. A partner status whose rank is not above the leg's current rank is never
    /// applied (it is stale: the leg does not move backwards).
    ///
    /// | rank | statuses |
    /// | --- | --- |
    /// | 0 | requested |
    /// | 1 | offered |
    /// | 2 | accepted, rejected, noDriversAvailable, offerTimedOut (answers to an offer) |
    /// | 3 | driverAssigned |
    /// | 4 | arriving |
    /// | 5 | pickedUp |
    /// | 6 | completed, noShow, cancelled, needsAttention |
    public var rank: Int {
        switch self {
        case .requested: 0
        case .offered: 1
        case .accepted, .rejected, .noDriversAvailable, .offerTimedOut: 2
        case .driverAssigned: 3
        case .arriving: 4
        case .pickedUp: 5
        case .completed, .noShow, .cancelled, .needsAttention: 6
        }
    }

    /// Completed, cancelled or no-show: nothing can change the leg any more.
    public var isTerminal: Bool { self == .completed || self == .cancelled || self == .noShow }

    /// The statuses a partner may send in a `PartnerRideUpdate`.
    public static let partnerReportable: Set<RideStatus> = [
        .accepted, .rejected, .noDriversAvailable, .driverAssigned, .arriving, .pickedUp, .completed, .noShow,
        .cancelled,
    ]

    /// A partner is carrying the ride (accepted up to arriving): cancelling it may cost a fee.
    public var isCarriedByPartner: Bool { self == .accepted || self == .driverAssigned || self == .arriving }

    /// The leg can still be cancelled by TrialTransit (before pickup and not finished).
    public var isCancellable: Bool {
        switch self {
        case .requested, .offered, .accepted, .driverAssigned, .arriving, .needsAttention: true
        default: false
        }
    }

    /// The three statuses that answer an offer negatively; the next partner is tried.
    public var isOfferFailure: Bool { self == .rejected || self == .noDriversAvailable || self == .offerTimedOut }
}
