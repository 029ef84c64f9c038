import TransitWire
import TrialAccess

extension TravelEvent {
    /// The domain command of this `travel.requests.v1` event (the body must be set). Pickup,
    /// drop-off and contact token are not passed on: only the transport worker keeps them.
    func command() throws(WireMappingError) -> TrialAccessCommand {
        guard let body else { throw .missing("body") }
        let command: TrialAccessCommand.Body
        switch body {
        case .travelAssistanceRequested(let requested):
            command = .travelAssistanceRequested(
                TravelAssistanceRequest(
                    requestID: requested.requestId, trialID: requested.trialId, visitID: requested.visitId.givenOrNil,
                    mobility: requested.mobility.domain,
                    companions: requested.companions == 0 ? nil : Int(requested.companions),
                    language: requested.language.givenOrNil))
        case .travelAssistanceCancelled(let cancelled):
            command = .travelAssistanceCancelled(
                TravelAssistanceCancellation(requestID: cancelled.requestId, visitID: cancelled.visitId.givenOrNil))
        case .patientDataErasureRequested(let erasure):
            command = .patientDataErasureRequested(erasureRequestID: erasure.erasureRequestId)
        }
        return TrialAccessCommand(eventID: eventId, patientRef: patientRef, occurredAt: occurredAt, body: command)
    }
}
