/// How a patient's value is compared with a threshold: `value <op> threshold`
/// (mirrors `trialtransit.v1.Comparison`; the raw value is its proto enum name).
public enum Comparison: String, ProtoEnumMirror {
    case greaterOrEqual = "COMPARISON_GREATER_OR_EQUAL"
    case greater = "COMPARISON_GREATER"
    case lessOrEqual = "COMPARISON_LESS_OR_EQUAL"
    case less = "COMPARISON_LESS"
    case equal = "COMPARISON_EQUAL"

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
