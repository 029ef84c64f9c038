// Initializers that rebuild aggregates exactly as stored, for the wiring's state decoder
// (`Decodable` does the same for rows of the old JSON format). Nothing is validated: stored values
// were valid when they were written.

extension Enrollment {
    /// An enrollment exactly as stored.
    public init(
        patientRef: String, trialID: String, referralID: String, state: EnrollmentState, siteID: String?,
        siteDistanceKm: Double?, slot: SlotHold?, unmetCriteria: [String], withdrawalReason: WithdrawalReason?,
        reachableSites: [ReachableSite], travelProfile: TravelProfile, travelRequests: [TravelRequestRecord],
        consents: [Consent], visits: [PlannedVisit], history: [StatusTransition], armCode: String?,
        appliedEventIDs: [String], createdAt: Int64, updatedAt: Int64, revision: Int64
    ) {
        self.patientRef = patientRef
        self.trialID = trialID
        self.referralID = referralID
        self.state = state
        self.siteID = siteID
        self.siteDistanceKm = siteDistanceKm
        self.slot = slot
        self.unmetCriteria = unmetCriteria
        self.withdrawalReason = withdrawalReason
        self.reachableSites = reachableSites
        self.travelProfile = travelProfile
        self.travelRequests = travelRequests
        self.consents = consents
        self.visits = visits
        self.history = history
        self.armCode = armCode
        self.appliedEventIDs = appliedEventIDs
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.revision = revision
    }
}

extension WaitlistEntry {
    /// An entry exactly as stored.
    public init(
        storedPatientRef patientRef: String, queuedAt: Int64, sequence: Int64, reachableSites: [ReachableSite],
        sourceEventID: String, offer: WaitlistOffer? = nil
    ) {
        self.init(
            patientRef: patientRef, queuedAt: queuedAt, sequence: sequence, reachableSites: reachableSites,
            sourceEventID: sourceEventID, offer: offer)
    }
}

extension TravelRequestRecord {
    /// A travel request record exactly as stored.
    public init(
        storedRequestID requestID: String, visitID: String?, mobility: Mobility?, companions: Int?, language: String?,
        cancelledVisitIDs: [String], fromReferral: Bool
    ) {
        self.init(
            requestID: requestID, visitID: visitID, mobility: mobility, companions: companions, language: language,
            cancelledVisitIDs: cancelledVisitIDs, fromReferral: fromReferral)
    }
}

extension PlannedVisit {
    /// A planned visit exactly as stored.
    public init(
        storedVisit visit: Visit, status: VisitStatus, windowAtRisk: Bool, destination: SiteLocation,
        travelRequested: Bool, previousScheduledAt: Int64?, completedAt: Int64?, transportRisks: [VisitTransportRisk] = [], urgent: Bool = false
    ) {
        self.init(
            visit: visit, status: status, windowAtRisk: windowAtRisk, destination: destination,
            travelRequested: travelRequested, previousScheduledAt: previousScheduledAt, completedAt: completedAt,
            transportRisks: transportRisks, urgent: urgent)
    }
}

extension StatusTransition {
    /// A status transition exactly as stored.
    public init(
        storedFrom from: EnrollmentState, to: EnrollmentState, reasonCodes: [String],
        withdrawalReason: WithdrawalReason?, sourceEventID: String, at: Int64
    ) {
        self.init(
            from: from, to: to, reasonCodes: reasonCodes, withdrawalReason: withdrawalReason,
            sourceEventID: sourceEventID, at: at)
    }
}
