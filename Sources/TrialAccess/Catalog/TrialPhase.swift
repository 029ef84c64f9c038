import TransitDomain

/// Trial phase (mirrors `trialtransit.v1.TrialPhase`; the raw value is its proto enum name).
public enum TrialPhase: String, ProtoEnumMirror {
    case earlyPhase1 = "TRIAL_PHASE_EARLY_1"
    case phase1 = "TRIAL_PHASE_1"
    case phase1And2 = "TRIAL_PHASE_1_2"
    case phase2 = "TRIAL_PHASE_2"
    case phase2And3 = "TRIAL_PHASE_2_3"
    case phase3 = "TRIAL_PHASE_3"
    case phase4 = "TRIAL_PHASE_4"
}

/// Whether a trial takes new patients (mirrors `trialtransit.v1.RecruitingStatus`).
public enum RecruitingStatus: String, Sendable, Hashable, ProtoNumbered {
    /// Open for new patients.
    case recruiting = "RECRUITING_STATUS_RECRUITING"
    /// No new patients; enrolled ones continue.
    case closedToAccrual = "RECRUITING_STATUS_CLOSED_TO_ACCRUAL"
}
