import TransitDomain

/// Where a patient stands with one trial; follows HL7 FHIR `ResearchSubject` (mirrors
/// `trialtransit.v1.EnrollmentState`; the raw value is the FHIR-style code).
public enum EnrollmentState: String, Codable, Sendable, Hashable, ProtoNumbered {
    /// Referred; eligibility not evaluated yet (a referral is evaluated at once, so this is transient).
    case candidate
    /// Meets every criterion; a screening slot is held at the nearest reachable site with room.
    case eligible
    /// Fails at least one criterion. Terminal for this referral (a new referral re-evaluates).
    case ineligible
    /// Eligible, but every reachable site is full; waits in the trial's ``Waitlist``.
    case waitlisted
    /// A criterion could not be decided (a value is missing) or the held slot lapsed.
    case needsReview = "needs-review"
    /// Screening at the site is under way (PARTICIPATION consent held); the slot is still held.
    case screening
    /// Passed screening; waiting for the first treatment visit.
    case pendingOnStudy = "pending-on-study"
    /// On study treatment.
    case onStudy = "on-study"
    /// Treatment finished; follow-up visits continue.
    case followUp = "follow-up"
    /// Finished the study or failed screening. Terminal.
    case offStudy = "off-study"
    /// Left early; see ``Enrollment/withdrawalReason``. Terminal.
    case withdrawn
}
