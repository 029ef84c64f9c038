/// A protocol visit moved (mirrors `VisitRescheduled`); carries the whole visit with its new time.
public struct VisitReschedule: Sendable, Hashable {
    /// The visit with its new time (same visit id). Its protocol window is not used: the plan
    /// keeps the window given when the visit was first scheduled.
    public var visit: Visit
    /// Reason, machine code; may be nil.
    public var reasonCode: String?

    public init(visit: Visit, reasonCode: String? = nil) {
        self.visit = visit
        self.reasonCode = reasonCode
    }
}

/// A protocol visit was cancelled (mirrors `VisitCancelled`).
public struct VisitCancellation: Sendable, Hashable {
    public var visitID: String
    public var trialID: String
    public var cancelledBy: CancellationActor?
    public var reasonCode: String?

    public init(visitID: String, trialID: String, cancelledBy: CancellationActor? = nil, reasonCode: String? = nil) {
        self.visitID = visitID
        self.trialID = trialID
        self.cancelledBy = cancelledBy
        self.reasonCode = reasonCode
    }
}

/// A protocol visit took place (mirrors `VisitCompleted`).
public struct VisitCompletion: Sendable, Hashable {
    public var visitID: String
    public var trialID: String
    public var completedAt: Int64

    public init(visitID: String, trialID: String, completedAt: Int64) {
        self.visitID = visitID
        self.trialID = trialID
        self.completedAt = completedAt
    }
}
