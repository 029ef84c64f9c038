import TransitDomain

/// Why a patient left a trial early (mirrors `trialtransit.v1.WithdrawalReason`; the wiring maps
/// UNSPECIFIED and unknown numbers to ``other``).
public enum WithdrawalReason: String, Codable, Sendable, Hashable, ProtoNumbered {
    case consentWithdrawn = "consent-withdrawn"
    case adverseEvent = "adverse-event"
    case investigatorDecision = "investigator-decision"
    case lostToFollowUp = "lost-to-follow-up"
    case other

    /// The value for an `enrollment.proto` number; ``other`` for UNSPECIFIED (0) and unknown numbers.
    public init(protoNumber: Int32) {
        self = WithdrawalReason.allCases.first { $0.protoNumber == protoNumber } ?? .other
    }
}
