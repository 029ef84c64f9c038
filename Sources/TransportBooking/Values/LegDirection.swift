/// Which way a leg goes (mirrors `trialtransit.v1.LegDirection`).
public enum LegDirection: String, Codable, Sendable, Hashable, CaseIterable {
    /// From the pickup location to the visit's site.
    case outbound
    /// From the site back to the pickup location.
    case `return`

    /// Number of the value in `transport_booking.proto`.
    public var protoNumber: Int32 { self == .outbound ? 1 : 2 }
}
