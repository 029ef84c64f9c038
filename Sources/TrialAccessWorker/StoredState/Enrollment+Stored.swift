import TransitRuntime
import TransitWire
import TrialAccess

// `Enrollment` and its parts <-> their stored messages (trial_access_state.proto). Reading throws
// ``UnreadableStoredValue`` for what the domain cannot hold; the caller reports the type only.

extension StoredEnrollment {
    init(_ enrollment: TrialAccess.Enrollment) {
        self.init()
        patientRef = enrollment.patientRef
        trialId = enrollment.trialID
        referralId = enrollment.referralID
        state = enrollment.state.wire
        siteId = enrollment.siteID
        siteDistanceKm = enrollment.siteDistanceKm
        slot = enrollment.slot.map(StoredSlotHold.init)
        unmetCriteria = enrollment.unmetCriteria
        withdrawalReason = enrollment.withdrawalReason.wire
        reachableSites = enrollment.reachableSites.map(StoredReachableSite.init)
        travelProfile = StoredTravelProfile(enrollment.travelProfile)
        travelRequests = enrollment.travelRequests.map(StoredTravelRequestRecord.init)
        consents = enrollment.consents.map(StoredConsent.init)
        visits = enrollment.visits.map(StoredPlannedVisit.init)
        history = enrollment.history.map(StoredStatusTransition.init)
        armCode = enrollment.armCode
        appliedEventIds = enrollment.appliedEventIDs
        createdAt = enrollment.createdAt
        updatedAt = enrollment.updatedAt
        revision = enrollment.revision
    }

    func domain() throws -> TrialAccess.Enrollment {
        let state = try state.storedDomain()
        let profile = try travelProfile.orUnreadable().domain()
        let requests = try travelRequests.map { try $0.domain() }
        let consents = try consents.map { try $0.domain() }
        let visits = try visits.map { try $0.domain() }
        let history = try history.map { try $0.domain() }
        return TrialAccess.Enrollment(
            patientRef: patientRef, trialID: trialId, referralID: referralId, state: state, siteID: siteId,
            siteDistanceKm: siteDistanceKm, slot: slot?.domain, unmetCriteria: unmetCriteria,
            withdrawalReason: withdrawalReason.storedDomain, reachableSites: reachableSites.map(\.domain),
            travelProfile: profile, travelRequests: requests, consents: consents, visits: visits, history: history,
            armCode: armCode, appliedEventIDs: appliedEventIds, createdAt: createdAt, updatedAt: updatedAt,
            revision: revision)
    }
}

extension StoredSlotHold {
    init(_ slot: SlotHold) {
        self.init(slotId: slot.slotID, siteId: slot.siteID, reservedAt: slot.reservedAt, expiresAt: slot.expiresAt)
    }

    var domain: SlotHold { SlotHold(slotID: slotId, siteID: siteId, reservedAt: reservedAt, expiresAt: expiresAt) }
}

extension StoredReachableSite {
    init(_ site: ReachableSite) {
        self.init(siteId: site.siteID, distanceKm: site.distanceKm)
    }

    var domain: ReachableSite { ReachableSite(siteID: siteId, distanceKm: distanceKm) }
}

extension StoredTravelProfile {
    init(_ profile: TravelProfile) {
        self.init(mobility: profile.mobility.wire, companions: Int64(profile.companions), language: profile.language)
    }

    func domain() throws -> TravelProfile {
        TravelProfile(mobility: try mobility.storedDomain(), companions: Int(companions), language: language)
    }
}

extension StoredTravelRequestRecord {
    init(_ record: TravelRequestRecord) {
        self.init(
            requestId: record.requestID, visitId: record.visitID, mobility: record.mobility.wire,
            companions: record.companions.map(Int64.init), language: record.language,
            cancelledVisitIds: record.cancelledVisitIDs, fromReferral: record.fromReferral)
    }

    func domain() throws -> TravelRequestRecord {
        TravelRequestRecord(
            storedRequestID: requestId, visitID: visitId, mobility: try mobility.storedDomain(),
            companions: companions.map(Int.init), language: language, cancelledVisitIDs: cancelledVisitIds,
            fromReferral: fromReferral)
    }
}

extension StoredConsent {
    init(_ consent: TrialAccess.Consent) {
        self.init(
            scope: TransitWire.ConsentScope(rawValue: consent.scope.protoNumber), version: consent.version,
            grantedAt: consent.grantedAt, trialId: consent.trialID)
    }

    func domain() throws -> TrialAccess.Consent {
        TrialAccess.Consent(scope: try scope.domain.orUnreadable(), version: version, grantedAt: grantedAt, trialID: trialId)
    }
}

extension StoredPlannedVisit {
    init(_ planned: PlannedVisit) {
        self.init(
            visit: StoredVisit(planned.visit), status: StoredVisitStatus(planned.status),
            windowAtRisk: planned.windowAtRisk, destination: planned.destination.wire,
            travelRequested: planned.travelRequested, previousScheduledAt: planned.previousScheduledAt,
            completedAt: planned.completedAt, urgent: planned.urgent,
            transportRisks: planned.transportRisks.map(StoredTransportRisk.init))
    }

    func domain() throws -> PlannedVisit {
        PlannedVisit(
            storedVisit: try visit.orUnreadable().domain, status: try status.domain.orUnreadable(), windowAtRisk: windowAtRisk,
            destination: try destination.orUnreadable().domain, travelRequested: travelRequested,
            previousScheduledAt: previousScheduledAt, completedAt: completedAt,
            transportRisks: try storedTransportRisks.map { try $0.domain() }, urgent: urgent)
    }

    /// The legs at risk; a row written before they were kept per leg holds the visit's latest one.
    private var storedTransportRisks: [StoredTransportRisk] {
        if transportRisks.isEmpty, let latest = transportRisk { [latest] } else { transportRisks }
    }
}

extension StoredVisit {
    init(_ visit: TrialAccess.Visit) {
        self.init(
            visitId: visit.visitID, trialId: visit.trialID, siteId: visit.siteID, visitCode: visit.visitCode,
            scheduledAt: visit.scheduledAt,
            protocolWindow: TransitWire.TimeWindow(startAt: visit.protocolWindow.startAt, endAt: visit.protocolWindow.endAt),
            durationMinutes: visit.durationMinutes.map(Int64.init))
    }

    var domain: TrialAccess.Visit {
        TrialAccess.Visit(
            visitID: visitId, trialID: trialId, siteID: siteId, visitCode: visitCode, scheduledAt: scheduledAt,
            protocolWindow: TrialAccess.TimeWindow(startAt: protocolWindow?.startAt ?? 0, endAt: protocolWindow?.endAt ?? 0),
            durationMinutes: durationMinutes.map(Int.init))
    }
}

extension StoredStatusTransition {
    init(_ transition: StatusTransition) {
        self.init(
            from: transition.from.wire, to: transition.to.wire, reasonCodes: transition.reasonCodes,
            withdrawalReason: transition.withdrawalReason.wire, sourceEventId: transition.sourceEventID,
            at: transition.at)
    }

    func domain() throws -> StatusTransition {
        StatusTransition(
            storedFrom: try from.storedDomain(), to: try to.storedDomain(), reasonCodes: reasonCodes,
            withdrawalReason: withdrawalReason.storedDomain, sourceEventID: sourceEventId, at: at)
    }
}

extension StoredVisitStatus {
    init(_ status: VisitStatus) {
        switch status {
        case .planned: self = .planned
        case .completed: self = .completed
        case .cancelled: self = .cancelled
        }
    }

    var domain: VisitStatus? {
        switch self {
        case .planned: .planned
        case .completed: .completed
        case .cancelled: .cancelled
        default: nil
        }
    }
}

extension TransitWire.EnrollmentState {
    func storedDomain() throws -> TrialAccess.EnrollmentState {
        try TrialAccess.EnrollmentState(protoNumber: rawValue).orUnreadable()
    }
}

extension TransitWire.WithdrawalReason {
    /// nil for UNSPECIFIED; an unknown number is `.other`, as on the wire.
    var storedDomain: TrialAccess.WithdrawalReason? { rawValue == 0 ? nil : domain }
}

extension TransitWire.Mobility {
    /// nil for UNSPECIFIED; throws for a number the domain does not know.
    func storedDomain() throws -> TrialAccess.Mobility? { rawValue == 0 ? nil : try domain.orUnreadable() }
}
