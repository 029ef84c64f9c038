/// Cancel one leg, or every open leg of the booking.
public struct CancelRequest: Sendable, Hashable {
    /// Id of the input.
    public var eventID: String
    /// Leg to cancel; nil = every open leg of the current schedule.
    public var legID: String?
    /// Who cancels.
    public var actor: CancellationActor
    /// Why, machine code (e.g. `VISIT_CANCELLED`); may be empty.
    public var reasonCode: String
    /// When set (RPC), must equal the booking's patient; otherwise the booking is "not found".
    public var patientRef: String?

    public init(
        eventID: String, legID: String? = nil, actor: CancellationActor, reasonCode: String, patientRef: String? = nil
    ) {
        self.eventID = eventID
        self.legID = legID
        self.actor = actor
        self.reasonCode = reasonCode
        self.patientRef = patientRef
    }

    /// From `TravelNoLongerNeeded` (trial access): a system cascade.
    public static func travelNoLongerNeeded(eventID: String, reason: TravelNoLongerNeededReason?) -> CancelRequest {
        CancelRequest(eventID: eventID, actor: .system, reasonCode: reason?.rawValue ?? "TRAVEL_NO_LONGER_NEEDED")
    }

    /// From `TravelAssistanceCancelled`; an unspecified actor counts as the patient.
    public static func travelAssistanceCancelled(
        eventID: String, actor: CancellationActor?, reasonCode: String
    ) -> CancelRequest {
        CancelRequest(eventID: eventID, actor: actor ?? .patient, reasonCode: reasonCode)
    }

    /// From the `CancelRide` RPC; an unspecified actor counts as the coordinator.
    public static func cancelRide(
        eventID: String, patientRef: String, legID: String?, actor: CancellationActor?, reasonCode: String
    ) -> CancelRequest {
        CancelRequest(
            eventID: eventID, legID: legID.flatMap { $0.isEmpty ? nil : $0 }, actor: actor ?? .coordinator,
            reasonCode: reasonCode, patientRef: patientRef)
    }
}
