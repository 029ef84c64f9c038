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
    /// Nothing personal is stored by trial access (the home location is never kept).
    public static let nothingToErase = "NOTHING_TO_ERASE"
}
