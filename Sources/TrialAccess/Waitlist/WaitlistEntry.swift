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
    /// A slot held for this patient and offered to them (a ``TrialAccessCommand/Body/waitlistSlotOffered(_:)``
    /// command on the way to the owner of their partition); nil while they just wait.
    public var offer: WaitlistOffer?

    init(
        patientRef: String, queuedAt: Int64, sequence: Int64, reachableSites: [ReachableSite], sourceEventID: String,
        offer: WaitlistOffer? = nil
    ) {
        self.patientRef = patientRef
        self.queuedAt = queuedAt
        self.sequence = sequence
        self.reachableSites = reachableSites
        self.sourceEventID = sourceEventID
        self.offer = offer
    }

    /// Whether a freed slot at `siteID` can go to this patient (one already offered takes no other).
    public func canTake(siteID: String) -> Bool { offer == nil && reachableSites.contains { $0.siteID == siteID } }
}

/// A freed slot held (reserved in the ledger) for a waiting patient until the owner of that
/// patient's partition handles the offer command.
public struct WaitlistOffer: Codable, Sendable, Hashable {
    /// Event id of the offer command: `<cause>/promotion/<trial>/<patient>`.
    public var offerID: String
    /// Site of the held slot.
    public var siteID: String

    public init(offerID: String, siteID: String) {
        self.offerID = offerID
        self.siteID = siteID
    }
}

/// A change to one trial's ``Waitlist``, decided with an enrollment; the wiring loads that trial's
/// waitlist, applies it (``Waitlist/apply(_:)``) and saves it in the same transaction.
public enum WaitlistChange: Codable, Sendable, Hashable {
    /// Add the patient, or refresh the reachable sites of an entry already there (its place is kept).
    case enqueue(
        trialID: String, patientRef: String, queuedAt: Int64, reachableSites: [ReachableSite], sourceEventID: String)
    /// Take the patient off the list (promoted, withdrawn, re-evaluated); no-op when absent. A slot
    /// held for the patient (``WaitlistEntry/offer``) is the wiring's to release and offer again.
    case remove(trialID: String, patientRef: String)
    /// Hold a slot for the patient (``WaitlistEntry/offer``), or with nil take the hold back (the
    /// patient waits again); no-op when absent, or when a slot is held already (nil: none is).
    case offer(trialID: String, patientRef: String, offer: WaitlistOffer?)

    /// The trial whose waitlist changes.
    public var trialID: String {
        switch self {
        case .enqueue(let trialID, _, _, _, _), .remove(let trialID, _), .offer(let trialID, _, _): trialID
        }
    }
}
