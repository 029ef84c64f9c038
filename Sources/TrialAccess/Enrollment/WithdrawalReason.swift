/// Why a patient left a trial early (mirrors `trialtransit.v1.WithdrawalReason`; the wiring maps
/// UNSPECIFIED and unknown numbers to ``other``).
public enum WithdrawalReason: String, Codable, Sendable, Hashable, CaseIterable {
    case consentWithdrawn = "consent-withdrawn"
    case adverseEvent = "adverse-event"
    case investigatorDecision = "investigator-decision"
    case lostToFollowUp = "lost-to-follow-up"
    case other

    /// Number of the value in `enrollment.proto`.
    public var protoNumber: Int32 {
        switch self {
        case .consentWithdrawn: 1
        case .adverseEvent: 2
        case .investigatorDecision: 3
        case .lostToFollowUp: 4
        case .other: 5
        }
    }

    /// The value for an `enrollment.proto` number; ``other`` for UNSPECIFIED (0) and unknown numbers.
    public init(protoNumber: Int32) {
        self = WithdrawalReason.allCases.first { $0.protoNumber == protoNumber } ?? .other
    }
}
