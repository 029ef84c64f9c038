/// The patient withdrew a consent (mirrors `ConsentWithdrawn`). Never refused for the state:
/// withdrawing PARTICIPATION withdraws the patient from an active enrollment; withdrawing
/// TRANSPORT retracts every outstanding `TravelNeeded`.
public struct ConsentWithdrawal: Sendable, Hashable {
    public var scope: ConsentScope
    /// Trial the consent was for; nil = every enrollment of the patient.
    public var trialID: String?
    /// When the patient withdrew it, unix ms (0 = the event time). Consents granted after it stay.
    public var withdrawnAt: Int64

    public init(scope: ConsentScope, trialID: String? = nil, withdrawnAt: Int64) {
        self.scope = scope
        self.trialID = trialID
        self.withdrawnAt = withdrawnAt
    }
}
