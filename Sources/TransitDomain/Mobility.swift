/// Mobility a vehicle must accommodate (mirrors `trialtransit.v1.Mobility` without UNSPECIFIED).
public enum Mobility: String, Codable, Sendable, Hashable, ProtoNumbered, Comparable {
    /// Walks, possibly with a cane; any car.
    case ambulatory
    /// Stays in a wheelchair; wheelchair-accessible vehicle.
    case wheelchair
    /// Lies on a stretcher; stretcher vehicle with two crew.
    case stretcher

    public static func < (lhs: Mobility, rhs: Mobility) -> Bool { lhs.protoNumber < rhs.protoNumber }
}
