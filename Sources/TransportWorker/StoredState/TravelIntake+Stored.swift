import TransitRuntime
import TransitWire
import TransportBooking

// `TravelIntake`, `TravelAssistance` and `VisitTravelNeed` <-> their stored messages
// (transport_state.proto).

extension StoredTravelIntake {
    init(_ intake: TravelIntake) {
        self.init(
            patientRef: intake.patientRef, assistance: intake.assistance.map(StoredTravelAssistance.init),
            needs: intake.needs.mapValues(StoredVisitTravelNeed.init))
    }

    func domain() throws -> TravelIntake {
        TravelIntake(
            patientRef: patientRef, assistance: try assistance.map { try $0.domain() },
            needs: try needs.mapValues { try $0.domain() })
    }
}

extension StoredTravelAssistance {
    init(_ request: TravelAssistance) {
        self.init(
            requestId: request.requestID, trialId: request.trialID, visitId: request.visitID,
            pickup: Wire.Location(request.pickup), dropOff: request.dropOff.map(Wire.Location.init),
            returnTrip: request.returnTrip, mobility: Wire.Mobility(optional: request.mobility),
            companions: request.companions, language: request.language, contactToken: request.contactToken,
            preferredPartnerId: request.preferredPartnerID, cancelledVisitIds: request.cancelledVisitIDs.sorted())
    }

    func domain() throws -> TravelAssistance {
        var request = TravelAssistance(
            requestID: requestId, trialID: trialId, visitID: visitId, pickup: try pickup.domain().orUnreadable(),
            dropOff: try dropOff.domain(), returnTrip: returnTrip, mobility: try mobility.optionalDomain(),
            companions: companions, language: language, contactToken: contactToken,
            preferredPartnerID: preferredPartnerId)
        request.cancelledVisitIDs = Set(cancelledVisitIds)
        return request
    }
}

extension StoredVisitTravelNeed {
    init(_ need: VisitTravelNeed) {
        self.init(
            visitId: need.visitID, trialId: need.trialID, appointmentAt: need.appointmentAt,
            visitDurationMinutes: need.visitDurationMinutes, destination: Wire.Location(need.destination),
            mobility: Wire.Mobility(optional: need.mobility), companions: need.companions, language: need.language,
            urgent: need.urgent)
    }

    func domain() throws -> VisitTravelNeed {
        VisitTravelNeed(
            visitID: visitId, trialID: trialId, appointmentAt: appointmentAt,
            visitDurationMinutes: visitDurationMinutes, destination: try destination.domain().orUnreadable(),
            mobility: try mobility.optionalDomain(), companions: companions, language: language, urgent: urgent)
    }
}
