/// A freed screening slot held for a waiting patient: the body of the offer command that the
/// transaction freeing the slot writes, keyed by that patient, so that the owner of the patient's
/// partition promotes them (their outputs stay in one writer's order). Its event id is the
/// ``WaitlistOffer/offerID`` the waitlist entry holds.
public struct WaitlistSlotOffer: Sendable, Hashable {
    public var trialID: String
    public var siteID: String

    public init(trialID: String, siteID: String) {
        self.trialID = trialID
        self.siteID = siteID
    }
}
