/// Mobility a vehicle must accommodate (mirrors `trialtransit.v1.Mobility` without UNSPECIFIED).
public enum Mobility: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    /// Walks, possibly with a cane; any car.
    case ambulatory
    /// Stays in a wheelchair; wheelchair-accessible vehicle.
    case wheelchair
    /// Lies on a stretcher; stretcher vehicle with two crew.
    case stretcher

    /// Number of the value in `common.proto`.
    public var protoNumber: Int32 {
        switch self {
        case .ambulatory: 1
        case .wheelchair: 2
        case .stretcher: 3
        }
    }

    /// The value for a `common.proto` number; nil for UNSPECIFIED (0) and unknown numbers.
    public init?(protoNumber: Int32) {
        guard let value = Mobility.allCases.first(where: { $0.protoNumber == protoNumber }) else { return nil }
        self = value
    }

    public static func < (lhs: Mobility, rhs: Mobility) -> Bool { lhs.protoNumber < rhs.protoNumber }
}
