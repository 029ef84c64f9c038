import TransitDomain

/// Which way a leg goes (mirrors `trialtransit.v1.LegDirection`).
public enum LegDirection: String, Codable, Sendable, Hashable, ProtoNumbered {
    /// From the pickup location to the visit's site.
    case outbound
    /// From the site back to the pickup location.
    case `return`
}
