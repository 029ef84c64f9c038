import TransitDomain

/// Result of screening at a site (mirrors `trialtransit.v1.ScreeningOutcome`, UNSPECIFIED excluded).
public enum ScreeningOutcome: String, Sendable, Hashable, ProtoNumbered {
    case passed
    case failed
}

/// Screening at a site finished (mirrors `ScreeningCompleted`).
public struct ScreeningResult: Sendable, Hashable {
    public var trialID: String
    public var siteID: String
    public var outcome: ScreeningOutcome
    /// Criterion codes failed (empty when passed), e.g. "ECOG".
    public var failedCriteria: [String]
    /// When screening finished, unix ms.
    public var screenedAt: Int64

    public init(
        trialID: String, siteID: String, outcome: ScreeningOutcome, failedCriteria: [String] = [], screenedAt: Int64
    ) {
        self.trialID = trialID
        self.siteID = siteID
        self.outcome = outcome
        self.failedCriteria = failedCriteria
        self.screenedAt = screenedAt
    }
}

/// The site confirmed the patient on study (mirrors `EnrollmentConfirmed`).
public struct EnrollmentConfirmation: Sendable, Hashable {
    public var trialID: String
    /// Site that enrolled; nil = the enrollment's site.
    public var siteID: String?
    /// Treatment arm, if randomised and not blinded.
    public var armCode: String?
    public var enrolledAt: Int64

    public init(trialID: String, siteID: String? = nil, armCode: String? = nil, enrolledAt: Int64) {
        self.trialID = trialID
        self.siteID = siteID
        self.armCode = armCode
        self.enrolledAt = enrolledAt
    }
}

/// The patient left the trial early (mirrors `PatientWithdrawn` and `WithdrawPatientRequest`).
public struct PatientWithdrawal: Sendable, Hashable {
    public var trialID: String
    public var reason: WithdrawalReason
    public var withdrawnAt: Int64

    public init(trialID: String, reason: WithdrawalReason, withdrawnAt: Int64) {
        self.trialID = trialID
        self.reason = reason
        self.withdrawnAt = withdrawnAt
    }
}

/// A ``ReservationTimer`` fired: the slot lapses unless screening started meanwhile.
public struct ReservationExpiry: Sendable, Hashable {
    public var trialID: String
    /// The slot the timer was set for; a timer for an older slot is stale and ignored.
    public var slotID: String

    public init(trialID: String, slotID: String) {
        self.trialID = trialID
        self.slotID = slotID
    }
}
