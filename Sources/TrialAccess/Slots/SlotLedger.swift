/// Identifies the screening capacity of one site for one trial.
public struct SlotKey: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public var trialID: String
    public var siteID: String

    public init(trialID: String, siteID: String) {
        self.trialID = trialID
        self.siteID = siteID
    }

    public static func < (lhs: SlotKey, rhs: SlotKey) -> Bool {
        (lhs.trialID, lhs.siteID) < (rhs.trialID, rhs.siteID)
    }

    public var description: String { "\(trialID)/\(siteID)" }
}

/// Port to the shared screening-slot counters. The domain never owns counters: several worker
/// processes share them, so the implementation must be atomic in the shared store (a conditional
/// `UPDATE ... SET used = used + 1 WHERE used < capacity` inside the worker's transaction) and must
/// roll back with that transaction when the decision is not saved.
///
/// Capacity comes from ``TrialSite/screeningCapacity``; the wiring copies it into the store when
/// the catalogue changes.
public protocol SlotLedger {
    /// Takes one slot at the site if one is free; false when the site is full or unknown.
    mutating func reserve(trialID: String, siteID: String) -> Bool
    /// Gives one slot back (never below zero).
    mutating func release(trialID: String, siteID: String)
}
