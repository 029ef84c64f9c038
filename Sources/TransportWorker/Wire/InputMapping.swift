import TransitRuntime
import TransitWire
import TransportBooking

// Wire inputs -> domain inputs. A message that cannot be mapped is INVALID (dead-lettered); the
// reasons name fields, never values.

extension TravelAssistanceRequested {
    /// The domain travel request.
    func domain() throws(HandlerFailure) -> TravelAssistance {
        guard !requestId.isEmpty else {
            throw .invalid(
                "TravelAssistanceRequested.request_id is empty", field: "travel_assistance_requested.request_id")
        }
        guard !trialId.isEmpty || !visitId.isEmpty else {
            throw .invalid("TravelAssistanceRequested needs trial_id or visit_id")
        }
        guard let pickup = pickup?.domain, pickup.point.isValid else {
            throw .invalid("TravelAssistanceRequested.pickup is missing or out of range")
        }
        var dropOffLocation: Domain.Location?
        if let dropOff {
            guard let location = dropOff.domain, location.point.isValid else {
                throw .invalid("TravelAssistanceRequested.drop_off is out of range")
            }
            dropOffLocation = location
        }
        return TravelAssistance(
            requestID: requestId, trialID: trialId, visitID: visitId, pickup: pickup, dropOff: dropOffLocation,
            returnTrip: returnTrip, mobility: mobility.domain, companions: companions,
            language: language.isEmpty ? nil : language, contactToken: contactToken,
            preferredPartnerID: preferredPartnerId)
    }
}

extension TravelNeeded {
    /// The domain visit need.
    func domain() throws(HandlerFailure) -> VisitTravelNeed {
        guard let visit, !visit.visitId.isEmpty else { throw .invalid("TravelNeeded.visit.visit_id is empty") }
        guard visit.scheduledAt > 0 else { throw .invalid("TravelNeeded.visit.scheduled_at is missing") }
        guard let destination = destination?.domain, destination.point.isValid else {
            throw .invalid("TravelNeeded.destination is missing or out of range")
        }
        return VisitTravelNeed(
            visitID: visit.visitId, trialID: visit.trialId, appointmentAt: visit.scheduledAt,
            visitDurationMinutes: visit.durationMinutes > 0 ? visit.durationMinutes : nil, destination: destination,
            mobility: mobility.domain, companions: companions, language: language, urgent: urgent)
    }
}

extension PartnerRideUpdate {
    /// The domain update, under the worker's input id for it
    /// (``TransportInput/partnerEventID(partnerID:eventID:)``).
    func domain(inputID: String) throws(HandlerFailure) -> PartnerUpdate {
        guard let status = status.domain else { throw .invalid("PartnerRideUpdate.status is missing or unknown") }
        return PartnerUpdate(
            eventID: inputID, partnerID: partnerId, bookingID: bookingId, legID: legId,
            partnerRideID: partnerRideId.isEmpty ? nil : partnerRideId, status: status, sequence: sequence,
            etaAt: etaAt > 0 ? etaAt : nil, reason: reason.domain)
    }
}
