import TransitWire
import TrialAccess

extension TrialAccess.Enrollment {
    /// The `trialtransit.v1.Enrollment` of RPC replies (docs/TRIAL_ACCESS.md §8). The history has
    /// no v1 field.
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
        return enrollment
    }
}
