import TransitWire
import TrialAccess

extension TrialAccess.Enrollment {
    /// The `trialtransit.v1.Enrollment` of RPC replies (docs/TRIAL_ACCESS.md §8), history included.
    var wire: TransitWire.Enrollment {
        var enrollment = TransitWire.Enrollment()
        enrollment.patientRef = patientRef
        enrollment.trialId = trialID
        enrollment.siteId = siteID ?? ""
        enrollment.state = state.wire
        enrollment.consents = consents.map(\.wire)
        enrollment.unmetCriteria = unmetCriteria
        enrollment.withdrawalReason = withdrawalReason.wire
        enrollment.slotId = slot?.slotID ?? ""
        enrollment.slotExpiresAt = slot?.expiresAt ?? 0
        if let distance = siteDistanceKm, distance.isFinite {
            enrollment.siteDistanceKm = UInt32(clamping: Int(min(max(distance, 0), 1e9).rounded()))
        }
        enrollment.visits = openVisits.map(\.visit.wire)
        enrollment.referralId = referralID
        enrollment.updatedAt = updatedAt
        enrollment.history = history.map(\.wire)
        enrollment.visitsAtRisk = openVisits.sorted { $0.visit.visitID < $1.visit.visitID }.flatMap { planned in
            planned.transportRisks.map {
                VisitRisk(trialID: planned.visit.trialID, visitID: planned.visit.visitID, risk: $0).wire
            }
        }
        return enrollment
    }
}

extension TrialAccess.StatusTransition {
    /// One `trialtransit.v1.EnrollmentTransition`.
    var wire: TransitWire.EnrollmentTransition {
        var transition = TransitWire.EnrollmentTransition()
        transition.previousState = from.wire
        transition.state = to.wire
        transition.reasonCodes = reasonCodes
        transition.withdrawalReason = withdrawalReason.wire
        transition.sourceEventId = sourceEventID
        transition.occurredAt = at
        return transition
    }
}
