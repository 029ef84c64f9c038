/// How one referral fares against one trial, before any slot is reserved.
public struct TrialEvaluation: Sendable, Hashable {
    /// The verdict of the criteria and the site reach together.
    public enum Verdict: Sendable, Hashable {
        /// Every criterion met and at least one recruiting site within reach.
        case eligible
        /// At least one criterion failed (``TrialEvaluation/failed``).
        case ineligible
        /// Nothing failed, but something could not be decided (``TrialEvaluation/missing``).
        case needsReview
    }

    public var trialID: String
    /// Codes of failed criteria, in evaluation order (see ``CriterionCode``).
    public var failed: [String]
    /// Codes of criteria that could not be decided because a value is missing.
    public var missing: [String]
    /// Recruiting sites within reach, nearest first (ties by site id); empty unless computed.
    public var reachableSites: [ReachableSite]

    public init(trialID: String, failed: [String] = [], missing: [String] = [], reachableSites: [ReachableSite] = []) {
        self.trialID = trialID
        self.failed = failed
        self.missing = missing
        self.reachableSites = reachableSites
    }

    /// A failure decides; otherwise a missing value needs review; otherwise eligible.
    public var verdict: Verdict {
        if !failed.isEmpty { return .ineligible }
        if !missing.isEmpty { return .needsReview }
        return .eligible
    }
}
