/// Criterion codes written into `unmetCriteria` and status reasons (`[A-Z0-9_:.-]`, at most 64
/// characters). A failed criterion makes a referral ineligible; the same code naming a value that
/// is missing makes it need review. See docs/TRIAL_ACCESS.md for the full table.
public enum CriterionCode {
    /// The trial is closed to accrual.
    public static let trialClosed = "TRIAL_CLOSED"
    /// The diagnosis is not one the trial includes (failed), or no usable ICD-10 code was given (missing).
    public static let condition = "CONDITION"
    /// The stage group is not allowed (failed), or not given while the trial restricts stages (missing).
    public static let stage = "STAGE"
    /// Younger than the trial's minimum age.
    public static let ageMin = "AGE_MIN"
    /// Older than the trial's maximum age.
    public static let ageMax = "AGE_MAX"
    /// Age not given while the trial has an age bound (missing only).
    public static let age = "AGE"
    /// ECOG grade above the maximum (failed), or not given while the trial limits it (missing).
    public static let ecog = "ECOG"
    /// The trial has no recruiting site (or the trial is open but every site stopped recruiting).
    public static let noRecruitingSite = "NO_RECRUITING_SITE"
    /// Recruiting sites exist, but none within the patient's maximum travel distance.
    public static let noSiteInRange = "NO_SITE_IN_RANGE"
    /// Home location not given, so no site can be chosen (missing only).
    public static let homeLocation = "HOME_LOCATION"
    /// An open referral (no trial named) matched no recruiting trial.
    public static let noMatchingTrial = "NO_MATCHING_TRIAL"

    /// The diagnosis matches a code the trial excludes, e.g. `EXCLUDED_CONDITION:C79.3`.
    public static func excludedCondition(_ code: String) -> String { "EXCLUDED_CONDITION:\(code)" }
    /// A biomarker requirement failed (or the result is missing or in another unit), e.g. `BIOMARKER:PDL1_TPS`.
    public static func biomarker(_ code: String) -> String { "BIOMARKER:\(code)" }
    /// The patient had an excluded prior therapy, e.g. `PRIOR_THERAPY:ANTI_PD1`.
    public static func priorTherapy(_ code: String) -> String { "PRIOR_THERAPY:\(code)" }

    // Immunotherapy criteria (docs/TRIAL_ACCESS.md §4): each names the failed criterion, or the
    // criterion that needs review because its value is missing.

    /// Sex not allowed (failed), or not given while the trial restricts it (missing).
    public static let sex = "SEX"
    /// Histology not among the included ICD-O-3 morphologies (failed), or not given / unreadable (missing).
    public static let histology = "HISTOLOGY"
    /// Microsatellite / mismatch-repair status does not meet the requirement, or neither is known.
    public static let microsatellite = "MSI_MMR"
    /// Tumour mutational burden fails the threshold, or is not known.
    public static let tmb = "TMB"
    /// Fewer prior lines than required, or the treatment history is not known.
    public static let priorLinesMin = "PRIOR_LINES_MIN"
    /// More prior lines than allowed, or the treatment history is not known.
    public static let priorLinesMax = "PRIOR_LINES_MAX"
    /// No measurable disease under the required criteria, or no assessment under them.
    public static let measurableDisease = "MEASURABLE_DISEASE"
    /// Autoimmune disease treated systemically within the look-back, or not known.
    public static let autoimmuneDisease = "AUTOIMMUNE_DISEASE"
    /// Systemic corticosteroids above the allowed prednisone-equivalent dose, or dose not known.
    public static let corticosteroids = "CORTICOSTEROIDS"
    /// Prior or current pneumonitis, or not known.
    public static let pneumonitis = "PNEUMONITIS"
    /// Active CNS metastases, or not known.
    public static let activeCNSMetastases = "ACTIVE_CNS_METASTASES"
    /// Allogeneic organ or stem-cell transplant, or not known.
    public static let organTransplant = "ORGAN_TRANSPLANT"

    /// The histology matches an excluded morphology, e.g. `EXCLUDED_HISTOLOGY:8041`.
    public static func excludedHistology(_ code: String) -> String { "EXCLUDED_HISTOLOGY:\(code)" }
    /// A PD-L1 requirement of a score type, e.g. `PDL1:TPS`.
    public static func pdl1(_ scoreType: PDL1ScoreType) -> String { "PDL1:\(scoreType.shortName)" }
    /// The patient received an excluded agent, e.g. `PRIOR_AGENT:L01FF` (anti-PD-1/PD-L1).
    public static func priorAgent(_ code: String) -> String { "PRIOR_AGENT:\(code)" }
    /// The patient did not receive a required agent, e.g. `REQUIRED_PRIOR_AGENT:L01XA` (platinum).
    public static func requiredPriorAgent(_ code: String) -> String { "REQUIRED_PRIOR_AGENT:\(code)" }
    /// A laboratory requirement, e.g. `LAB:ANC`.
    public static func lab(_ code: String) -> String { "LAB:\(code)" }

    /// True for a well-formed machine code: 1-64 characters of `A-Z 0-9 _ : . -`.
    public static func isWellFormed(_ code: String) -> Bool {
        !code.isEmpty && code.utf8.count <= 64
            && code.utf8.allSatisfy { byte in
                (65...90).contains(byte) || (48...57).contains(byte) || byte == 95 || byte == 58 || byte == 46
                    || byte == 45
            }
    }
}

/// Causes written into `EnrollmentStatusChange.reasonCodes` besides criterion codes.
public enum StatusReason {
    /// Referral evaluated: every criterion met and a slot reserved.
    public static let allCriteriaMet = "ALL_CRITERIA_MET"
    /// Referral evaluated: eligible, but every reachable site is full.
    public static let noCapacityInRange = "NO_CAPACITY_IN_RANGE"
    /// A slot freed and the patient was first in line for it.
    public static let promotedFromWaitlist = "PROMOTED_FROM_WAITLIST"
    /// PARTICIPATION consent held while eligible: screening starts.
    public static let participationConsented = "PARTICIPATION_CONSENTED"
    /// The held slot lapsed before screening started.
    public static let slotExpired = "SLOT_EXPIRED"
    /// Screening passed.
    public static let screeningPassed = "SCREENING_PASSED"
    /// Screening failed (the failed criterion codes follow).
    public static let screeningFailed = "SCREENING_FAILED"
    /// The site confirmed the patient on study.
    public static let enrollmentConfirmed = "ENROLLMENT_CONFIRMED"
    /// An end-of-treatment visit was completed.
    public static let treatmentEnded = "TREATMENT_ENDED"
    /// An end-of-study visit was completed.
    public static let studyCompleted = "STUDY_COMPLETED"
    /// The patient left the trial (PatientWithdrawn).
    public static let patientWithdrawn = "PATIENT_WITHDRAWN"
    /// The patient withdrew PARTICIPATION consent.
    public static let consentWithdrawn = "CONSENT_WITHDRAWN"
    /// A reported adverse event (grade 4, or a term the protocol marks as discontinuing) ended
    /// treatment: on-study -> follow-up.
    public static let treatmentDiscontinued = "TREATMENT_DISCONTINUED"
    /// A grade 5 adverse event was reported: the study ends for the patient.
    public static let fatalAdverseEvent = "FATAL_ADVERSE_EVENT"
}

/// Why a command changed nothing (``TrialAccessDecision/ignoredReason``): for logs and metrics.
public enum IgnoredReason {
    /// The enrollment already recorded this event id (a replay).
    public static let alreadyApplied = "ALREADY_APPLIED"
    /// The timer's slot is no longer held (screening started, slot released or replaced).
    public static let staleTimer = "STALE_TIMER"
    /// A consent older than the one held, or the same consent again.
    public static let staleConsent = "STALE_CONSENT"
    /// The withdrawn consent was not held (or was granted after the withdrawal).
    public static let consentNotHeld = "CONSENT_NOT_HELD"
    /// The same visit again, or a visit already completed or cancelled again.
    public static let visitUnchanged = "VISIT_UNCHANGED"
    /// No travel request with that id.
    public static let unknownTravelRequest = "UNKNOWN_TRAVEL_REQUEST"
    /// The command was valid but changed nothing.
    public static let nothingChanged = "NOTHING_CHANGED"
    /// A transport failure for a visit that is not planned (unknown, completed or cancelled).
    public static let visitNotPlanned = "VISIT_NOT_PLANNED"
    /// A confirmed ride for a leg that put no planned visit at risk (most confirmations).
    public static let noRiskToClear = "NO_RISK_TO_CLEAR"
    /// Nothing personal is stored by trial access (the home location is never kept).
    public static let nothingToErase = "NOTHING_TO_ERASE"
    /// A slot offer the waitlist does not hold for the patient (already taken up, or not ours).
    public static let offerNotHeld = "OFFER_NOT_HELD"
}
