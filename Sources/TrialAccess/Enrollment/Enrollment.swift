/// A patient's enrollment in one trial: the per-patient aggregate of trial access.
///
/// Keyed by (`patientRef`, `trialID`); `trialID` is "" only for an open referral that matched no
/// trial. Holds no name, address or clinical values: the referral's clinical facts and home
/// location are used for matching and dropped. Only ``TrialAccessDecider`` changes it; the wiring
/// stores it as it is (it is `Codable`) and uses ``revision`` for optimistic concurrency, because a
/// waitlist promotion may update it while another partition handles the patient.
public struct Enrollment: Codable, Sendable, Hashable {
    /// Pseudonymous patient reference.
    public let patientRef: String
    /// Trial (registry id); "" when an open referral matched no trial.
    public let trialID: String
    /// Referral this enrollment came from (the latest one evaluated).
    public internal(set) var referralID: String
    public internal(set) var state: EnrollmentState
    /// Site chosen (kept after the slot is released at the end of screening).
    public internal(set) var siteID: String?
    /// Great-circle distance from the home area to the site, km.
    public internal(set) var siteDistanceKm: Double?
    /// Screening slot held (only while eligible or screening).
    public internal(set) var slot: SlotHold?
    /// Criterion codes not met (ineligible) or not decidable / `SLOT_EXPIRED` (needs review).
    public internal(set) var unmetCriteria: [String]
    /// Set when withdrawn.
    public internal(set) var withdrawalReason: WithdrawalReason?
    /// Reachable sites, nearest first, while waitlisted.
    public internal(set) var reachableSites: [ReachableSite]
    /// Referral facts transport needs.
    public internal(set) var travelProfile: TravelProfile
    /// Standing travel-assistance requests.
    public internal(set) var travelRequests: [TravelRequestRecord]
    /// Consents held now (withdrawn ones are gone), sorted by scope then trial.
    public internal(set) var consents: [Consent]
    /// Every visit planned so far, in scheduling order, with its status.
    public internal(set) var visits: [PlannedVisit]
    /// Every state change, oldest first.
    public internal(set) var history: [StatusTransition]
    /// Treatment arm, when randomised and not blinded.
    public internal(set) var armCode: String?
    /// Event ids that changed this enrollment; a replayed one is a no-op.
    public internal(set) var appliedEventIDs: [String]
    public internal(set) var createdAt: Int64
    /// Last change, unix ms.
    public internal(set) var updatedAt: Int64
    /// Incremented on every change (for conditional writes).
    public internal(set) var revision: Int64

    /// A candidate: referred, not evaluated yet.
    public init(patientRef: String, trialID: String, referralID: String, createdAt: Int64) {
        self.patientRef = patientRef
        self.trialID = trialID
        self.referralID = referralID
        self.state = .candidate
        self.unmetCriteria = []
        self.reachableSites = []
        self.travelProfile = TravelProfile()
        self.travelRequests = []
        self.consents = []
        self.visits = []
        self.history = []
        self.appliedEventIDs = []
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.revision = 0
    }

    /// Visits planned and not yet completed or cancelled, by appointment time.
    public var openVisits: [PlannedVisit] {
        visits.filter { $0.status == .planned }.sorted {
            ($0.visit.scheduledAt, $0.visit.visitID) < ($1.visit.scheduledAt, $1.visit.visitID)
        }
    }

    /// The visit with this id.
    public func visit(id: String) -> PlannedVisit? { visits.first { $0.visit.visitID == id } }

    /// Whether a consent of `scope` is held (tied to this trial or to none).
    public func holdsConsent(_ scope: ConsentScope) -> Bool { consents.contains { $0.scope == scope } }

    /// Whether the patient asked for travel assistance at all (a standing request exists).
    public var wantsTravel: Bool { !travelRequests.isEmpty }

    /// Whether the patient asked for travel assistance to this visit.
    public func wantsTravel(toVisit visitID: String) -> Bool { travelRequests.contains { $0.covers(visitID: visitID) } }

    /// Whether this enrollment already recorded `eventID`.
    public func hasApplied(eventID: String) -> Bool { appliedEventIDs.contains(eventID) }
}
