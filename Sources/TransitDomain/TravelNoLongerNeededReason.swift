/// Why rides for a visit are no longer needed (mirrors `trialtransit.v1.TravelNoLongerNeededReason`
/// without UNSPECIFIED): trial access says it, transport cancels the visit's rides for it (the raw
/// value is the leg's reason code).
public enum TravelNoLongerNeededReason: String, Codable, Sendable, Hashable, ProtoNumbered {
    /// The visit was cancelled (also when the enrollment ended, failed screening or lost its slot).
    case visitCancelled = "VISIT_CANCELLED"
    /// The patient withdrew from the trial (or withdrew PARTICIPATION consent).
    case patientWithdrawn = "PATIENT_WITHDRAWN"
    /// The patient withdrew TRANSPORT consent.
    case consentWithdrawn = "CONSENT_WITHDRAWN"
    /// The visit moved; a new `TravelNeeded` follows when rides are still wanted.
    case visitRescheduled = "VISIT_RESCHEDULED"
}
