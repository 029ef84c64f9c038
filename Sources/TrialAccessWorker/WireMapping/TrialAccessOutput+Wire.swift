import TransitWire
import TrialAccess

extension TrialAccessOutput {
    /// The `trial.access.events.v1` envelope. `SlotReservation.distanceKm` has no v1 field and is
    /// left out.
    func wire(source: String) -> TrialAccessEvent {
        var event = TrialAccessEvent()
        event.eventId = eventID
        event.occurredAt = occurredAt
        event.source = source
        event.patientRef = patientRef
        switch body {
        case .statusChanged(let change):
            var changed = EnrollmentStatusChanged()
            changed.trialId = change.trialID
            changed.siteId = change.siteID ?? ""
            changed.previousState = change.previousState.wire
            changed.state = change.state.wire
            changed.reasonCodes = change.reasonCodes
            changed.withdrawalReason = change.withdrawalReason.wire
            event.body = .enrollmentStatusChanged(changed)
        case .slotReserved(let reservation):
            var reserved = SlotReserved()
            reserved.trialId = reservation.trialID
            reserved.siteId = reservation.siteID
            reserved.slotId = reservation.slotID
            reserved.expiresAt = reservation.expiresAt
            event.body = .slotReserved(reserved)
        case .slotReleased(let release):
            var released = SlotReleased()
            released.trialId = release.trialID
            released.siteId = release.siteID
            released.slotId = release.slotID
            released.reason = TransitWire.SlotReleaseReason(rawValue: release.reason.protoNumber)
            event.body = .slotReleased(released)
        case .visitPlanned(let plan):
            var planned = VisitPlanned()
            planned.visit = plan.visit.wire
            planned.previousScheduledAt = plan.previousScheduledAt ?? 0
            planned.windowAtRisk = plan.windowAtRisk
            planned.windowRiskReason = plan.windowRiskReason.wire
            event.body = .visitPlanned(planned)
        case .travelNeeded(let need):
            var needed = TravelNeeded()
            needed.visit = need.visit.wire
            needed.destination = need.destination.wire
            needed.mobility = need.mobility.wire
            needed.companions = UInt32(clamping: need.companions)
            needed.language = need.language ?? ""
            needed.urgent = need.urgent
            event.body = .travelNeeded(needed)
        case .travelNoLongerNeeded(let retraction):
            var retracted = TravelNoLongerNeeded()
            retracted.visitId = retraction.visitID
            retracted.trialId = retraction.trialID
            retracted.reason = TravelNoLongerNeededReason(rawValue: retraction.reason.protoNumber)
            event.body = .travelNoLongerNeeded(retracted)
        case .visitAtRisk(let risk):
            event.body = .visitAtRisk(risk.wire)
        case .visitRiskCleared(let clearance):
            event.body = .visitRiskCleared(
                VisitRiskCleared(
                    trialId: clearance.trialID, visitId: clearance.visitID, bookingId: clearance.bookingID,
                    legId: clearance.legID, sourceEventId: clearance.sourceEventID))
        }
        return event
    }
}
