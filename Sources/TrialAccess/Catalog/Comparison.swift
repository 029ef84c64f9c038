/// How a patient's value is compared with a threshold: `value <op> threshold`
/// (mirrors `trialtransit.v1.Comparison`; the raw value is its proto enum name).
public enum Comparison: String, Sendable, Hashable, CaseIterable {
    case greaterOrEqual = "COMPARISON_GREATER_OR_EQUAL"
    case greater = "COMPARISON_GREATER"
    case lessOrEqual = "COMPARISON_LESS_OR_EQUAL"
    case less = "COMPARISON_LESS"
    case equal = "COMPARISON_EQUAL"

    /// Number of the value in `catalog.proto`.
    public var protoNumber: Int32 { Int32(Comparison.allCases.firstIndex(of: self).map { $0 + 1 } ?? 0) }

    /// The value for a `catalog.proto` number; nil for UNSPECIFIED (0) and unknown numbers.
    public init?(protoNumber: Int32) {
        guard let value = Comparison.allCases.first(where: { $0.protoNumber == protoNumber }) else { return nil }
        self = value
    }

    /// The operator as text, e.g. `>=`.
    public var symbol: String {
        switch self {
        case .greaterOrEqual: ">="
        case .greater: ">"
        case .lessOrEqual: "<="
        case .less: "<"
        case .equal: "=="
        }
    }

    /// Whether `value <op> threshold` holds.
    public func holds(_ value: Double, threshold: Double) -> Bool {
        switch self {
        case .greaterOrEqual: value >= threshold
        case .greater: value > threshold
        case .lessOrEqual: value <= threshold
        case .less: value < threshold
        case .equal: value == threshold
        }
    }
}
