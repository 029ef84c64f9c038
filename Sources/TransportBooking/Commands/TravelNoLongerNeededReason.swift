import TransitDomain

/// Why trial access no longer needs rides (mirrors `trialtransit.v1.TravelNoLongerNeededReason`).
public enum TravelNoLongerNeededReason: String, Codable, Sendable, Hashable, ProtoNumbered {
    case visitCancelled = "VISIT_CANCELLED"
    case patientWithdrawn = "PATIENT_WITHDRAWN"
    case consentWithdrawn = "CONSENT_WITHDRAWN"
    /// The visit moved; a new `TravelNeeded` follows and books again.
    case visitRescheduled = "VISIT_RESCHEDULED"

    /// Number of the value in `trial_access.proto`.
    public var protoNumber: Int32 {
        switch self {
        case .visitCancelled: 1
        case .patientWithdrawn: 2
        case .consentWithdrawn: 3
        case .visitRescheduled: 4
        }
    }
}
