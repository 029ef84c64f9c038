/// The state machine's rules. Every change of ``Enrollment/state`` goes through
/// ``EnrollmentState/canMove(to:)``; the state diagram is in docs/TRIAL_ACCESS.md.
extension EnrollmentState {
    /// States a referral evaluation may lead to (re-evaluation may keep the state).
    private static let evaluationOutcomes: Set<EnrollmentState> = [.eligible, .ineligible, .waitlisted, .needsReview]

    /// States this state may move to.
    public var allowedNextStates: Set<EnrollmentState> {
        switch self {
        case .candidate, .needsReview, .waitlisted: Self.evaluationOutcomes.union([.withdrawn])
        case .ineligible: Self.evaluationOutcomes
        case .eligible: Self.evaluationOutcomes.union([.screening, .withdrawn])
        case .screening: [.pendingOnStudy, .offStudy, .withdrawn]
        case .pendingOnStudy: [.onStudy, .withdrawn]
        case .onStudy: [.followUp, .offStudy, .withdrawn]
        case .followUp: [.offStudy, .withdrawn]
        case .offStudy, .withdrawn: []
        }
    }

    /// Whether a move to `next` is allowed.
    public func canMove(to next: EnrollmentState) -> Bool { allowedNextStates.contains(next) }

    /// Nothing more happens to the enrollment (ineligible is terminal for its referral only).
    public var isTerminal: Bool { self == .ineligible || self == .offStudy || self == .withdrawn }

    /// A referral (or a re-referral with new facts) may be evaluated in this state.
    public var acceptsReferral: Bool { canMove(to: .eligible) }

    /// The patient is being taken forward for this trial: an open referral may not start another.
    public var isInProgress: Bool {
        switch self {
        case .eligible, .waitlisted, .screening, .pendingOnStudy, .onStudy, .followUp: true
        default: false
        }
    }

    /// A screening slot is held in this state (and only in this state).
    public var holdsSlot: Bool { self == .eligible || self == .screening }

    /// Protocol visits may be planned, moved, cancelled and completed in this state.
    public var allowsVisits: Bool {
        switch self {
        case .eligible, .screening, .pendingOnStudy, .onStudy, .followUp: true
        default: false
        }
    }
}
