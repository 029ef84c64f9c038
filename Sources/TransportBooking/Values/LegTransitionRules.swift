/// The leg state machine: which status may follow which.
///
/// ```
/// requested -> offered -> accepted -> driverAssigned -> arriving -> pickedUp -> completed
///                                     (forward skips allowed, e.g. accepted -> pickedUp)
/// accepted | driverAssigned | arriving -> noShow | cancelled
/// offered -> rejected | noDriversAvailable | offerTimedOut -> offered (next partner)
///                                                           | needsAttention (none left)
/// requested -> needsAttention (no partner fits)
/// requested | offered | needsAttention -> cancelled
/// needsAttention -> offered (a coordinator rebooks with a named partner: RebookRide)
/// ```
/// From `offered`, a partner progress status (driverAssigned … completed) counts as acceptance.
public enum LegTransitionRules {
    /// Successors of each status.
    public static let successors: [RideStatus: Set<RideStatus>] = [
        .requested: [.offered, .needsAttention, .cancelled],
        .offered: [.accepted, .rejected, .noDriversAvailable, .offerTimedOut, .cancelled],
        .rejected: [.offered, .needsAttention],
        .noDriversAvailable: [.offered, .needsAttention],
        .offerTimedOut: [.offered, .needsAttention],
        .accepted: [.driverAssigned, .arriving, .pickedUp, .completed, .noShow, .cancelled],
        .driverAssigned: [.arriving, .pickedUp, .completed, .noShow, .cancelled],
        .arriving: [.pickedUp, .completed, .noShow, .cancelled],
        .pickedUp: [.completed],
        .needsAttention: [.offered, .cancelled],
        .completed: [],
        .cancelled: [],
        .noShow: [],
    ]

    /// True when a leg in `from` may move to `to`.
    public static func isAllowed(from: RideStatus, to: RideStatus) -> Bool {
        successors[from]?.contains(to) ?? false
    }
}
