/// The patients waiting for a screening slot in one trial, first referred first served: ordered by
/// ``WaitlistEntry/queuedAt`` (referral event time), then by the order they were added.
///
/// Shared by patients on different partitions: the wiring must read it for update (or write it
/// conditionally on ``revision``) in the transaction that applies a change.
public struct Waitlist: Codable, Sendable, Hashable {
    public let trialID: String
    /// Entries in queue order.
    public private(set) var entries: [WaitlistEntry]
    /// Next ``WaitlistEntry/sequence`` to hand out.
    public private(set) var nextSequence: Int64
    /// Incremented on every change (for conditional writes).
    public private(set) var revision: Int64

    /// An empty waitlist.
    public init(trialID: String) {
        self.trialID = trialID
        self.entries = []
        self.nextSequence = 1
        self.revision = 0
    }

    /// A waitlist exactly as stored (for the wiring's state decoder).
    public init(trialID: String, entries: [WaitlistEntry], nextSequence: Int64, revision: Int64) {
        self.trialID = trialID
        self.entries = entries
        self.nextSequence = nextSequence
        self.revision = revision
    }

    /// Applies a change for this trial; returns false (and changes nothing) when the change is for
    /// another trial or has no effect.
    @discardableResult
    public mutating func apply(_ change: WaitlistChange) -> Bool {
        guard change.trialID == trialID else { return false }
        switch change {
        case .enqueue(_, let patientRef, let queuedAt, let reachableSites, let sourceEventID):
            if let index = entries.firstIndex(where: { $0.patientRef == patientRef }) {
                guard entries[index].reachableSites != reachableSites else { return false }
                entries[index].reachableSites = reachableSites
            } else {
                entries.append(
                    WaitlistEntry(
                        patientRef: patientRef, queuedAt: queuedAt, sequence: nextSequence,
                        reachableSites: reachableSites, sourceEventID: sourceEventID))
                nextSequence += 1
                entries.sort { ($0.queuedAt, $0.sequence) < ($1.queuedAt, $1.sequence) }
            }
        case .remove(_, let patientRef):
            guard let index = entries.firstIndex(where: { $0.patientRef == patientRef }) else { return false }
            entries.remove(at: index)
        case .offer(_, let patientRef, let offer):
            guard let index = entries.firstIndex(where: { $0.patientRef == patientRef }),
                (entries[index].offer == nil) != (offer == nil)
            else { return false }
            entries[index].offer = offer
        }
        revision += 1
        return true
    }

    /// The entry of a patient, nil when they do not wait.
    public func entry(of patientRef: String) -> WaitlistEntry? { entries.first { $0.patientRef == patientRef } }

    /// The first patient in line who can take a slot at `siteID` (and holds no offered slot yet).
    public func nextCandidate(forSite siteID: String) -> WaitlistEntry? { entries.first { $0.canTake(siteID: siteID) } }

    /// 1-based place of a patient in the queue.
    public func position(of patientRef: String) -> Int? {
        entries.firstIndex { $0.patientRef == patientRef }.map { $0 + 1 }
    }
}
