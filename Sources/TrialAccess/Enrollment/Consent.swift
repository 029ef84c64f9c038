import TransitDomain

/// What a patient has agreed to (mirrors `trialtransit.v1.ConsentScope` without UNSPECIFIED).
public enum ConsentScope: String, Codable, Sendable, Hashable, ProtoNumbered {
    /// May be contacted by the trial team.
    case contact
    /// Takes part in the trial (signed informed consent); starts screening when eligible.
    case participation
    /// May have rides booked; without it nothing goes to transport.
    case transport
    /// Pseudonymous data may be shared with the sponsor.
    case dataSharing = "data-sharing"
}

/// One consent a patient has given (mirrors `trialtransit.v1.Consent`).
public struct Consent: Codable, Sendable, Hashable {
    public var scope: ConsentScope
    /// Version of the form agreed to, e.g. "ICF-2.1".
    public var version: String
    /// When it was given, unix ms.
    public var grantedAt: Int64
    /// Trial it belongs to; nil = not tied to one trial (then it covers every trial of the patient).
    /// PARTICIPATION is always tied to a trial.
    public var trialID: String?

    public init(scope: ConsentScope, version: String, grantedAt: Int64, trialID: String? = nil) {
        self.scope = scope
        self.version = version
        self.grantedAt = grantedAt
        self.trialID = trialID
    }
}
