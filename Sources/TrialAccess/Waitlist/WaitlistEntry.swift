/// A patient waiting for a screening slot in one trial.
public struct WaitlistEntry: Codable, Sendable, Hashable {
    public var patientRef: String
    /// When the referral that put the patient here happened (event time), unix ms: the queue order.
    public var queuedAt: Int64
    /// Tie-breaker for equal `queuedAt`: the order entries were added.
    public var sequence: Int64
    /// Recruiting sites within the patient's reach, nearest first; only a slot at one of them
    /// promotes the patient.
    public var reachableSites: [ReachableSite]
    /// Event id that put the patient on the list.
    public var sourceEventID: String

    /// Whether a freed slot at `siteID` can go to this patient.
    public func canTake(siteID: String) -> Bool { reachableSites.contains { $0.siteID == siteID } }
}

/// A change to one trial's ``Waitlist``, decided with an enrollment; the wiring loads that trial's
/// waitlist, applies it (``Waitlist/apply(_:)``) and saves it in the same transaction.
public enum WaitlistChange: Codable, Sendable, Hashable {
    /// Add the patient, or refresh the reachable sites of an entry already there (its place is kept).
    case enqueue(
        trialID: String, patientRef: String, queuedAt: Int64, reachableSites: [ReachableSite], sourceEventID: String)
    /// Take the patient off the list (promoted, withdrawn, re-evaluated); no-op when absent.
    case remove(trialID: String, patientRef: String)

    /// The trial whose waitlist changes.
    public var trialID: String {
        switch self {
        case .enqueue(let trialID, _, _, _, _), .remove(let trialID, _): trialID
        }
    }
}
