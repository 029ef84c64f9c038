import TransitRuntime
import TransitWire
import TrialAccess

// The visit-at-risk values both ways: `RideNeedsAttention` in, `VisitAtRisk` and
// `VisitPlanned.window_risk_reason` out, `StoredTransportRisk` in the store.

extension RideNeedsAttention {
    /// The transport reasons that put a visit at risk; nil for the others (patient no-show, visit
    /// changed, invalid partner update: a coordinator's concern, not a risk to the visit plan).
    var visitRiskReason: TrialAccess.VisitRiskReason? {
        switch reason {
        case .noPartnerAvailable: .noPartnerAvailable
        case .partnerCancelled: .partnerCancelled
        case .pickupWindowAtRisk: .pickupWindowAtRisk
        default: nil
        }
    }

    /// The report for the trial-access decider; nil when the reason is not a risk to the visit
    /// or the event names no visit (transport workers before visit_id was added).
    var transportRiskReport: TransportRiskReport? {
        guard let reason = visitRiskReason, !visitId.isEmpty else { return nil }
        return TransportRiskReport(
            trialID: trialId, visitID: visitId, reason: reason, bookingID: bookingId, legID: legId,
            reasonCode: reasonCode.isEmpty ? nil : reasonCode)
    }
}

extension Optional where Wrapped == TrialAccess.VisitRiskReason {
    var wire: TransitWire.VisitRiskReason { TransitWire.VisitRiskReason(rawValue: self?.protoNumber ?? 0) }
}

extension VisitRisk {
    /// `trialtransit.v1.VisitAtRisk`.
    var wire: VisitAtRisk {
        VisitAtRisk(
            trialId: trialID, visitId: visitID, reason: Optional(risk.reason).wire, bookingId: risk.bookingID,
            legId: risk.legID, reasonCode: risk.reasonCode ?? "", sourceEventId: risk.sourceEventID)
    }
}

extension StoredTransportRisk {
    init(_ risk: VisitTransportRisk) {
        self.init(
            reason: Optional(risk.reason).wire, bookingId: risk.bookingID, legId: risk.legID,
            reasonCode: risk.reasonCode ?? "", sourceEventId: risk.sourceEventID, reportedAt: risk.reportedAt)
    }

    func domain() throws -> VisitTransportRisk {
        VisitTransportRisk(
            reason: try TrialAccess.VisitRiskReason(protoNumber: reason.rawValue).orUnreadable(), bookingID: bookingId,
            legID: legId, reasonCode: reasonCode.isEmpty ? nil : reasonCode, sourceEventID: sourceEventId,
            reportedAt: reportedAt)
    }
}
