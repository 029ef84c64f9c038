/// Everything that can change a booking. Each payload carries the id of the input that caused it
/// (event id, RPC input id — method and idempotency key, or correlation id — timer id); output ids derive from it.
public enum BookingCommand: Sendable, Hashable {
    /// Book rides for a visit (`TravelAssistanceRequested` joined with `TravelNeeded`, or `BookRide`).
    case requestTravel(TravelRequest)
    /// Cancel a leg or every open leg (`TravelNoLongerNeeded`, `TravelAssistanceCancelled`, `CancelRide`).
    case cancel(CancelRequest)
    /// The visit moved: cancel the open legs and book them again for the new time.
    case reschedule(Reschedule)
    /// A partner reported on a leg (`PartnerRideUpdate`).
    case partnerUpdate(PartnerUpdate)
    /// An offer's durable timer fired.
    case offerTimedOut(OfferTimeout)
    /// `PatientDataErasureRequested`: cancel open legs, erase addresses and contact tokens.
    case eraseData(DataErasure)
    /// `RebookRide`: offer a leg that needs attention to a partner a coordinator names.
    case rebook(RebookRequest)

    /// Id of the input that caused the command.
    public var eventID: String {
        switch self {
        case .requestTravel(let payload): payload.eventID
        case .cancel(let payload): payload.eventID
        case .reschedule(let payload): payload.eventID
        case .partnerUpdate(let payload): payload.eventID
        case .offerTimedOut(let payload): payload.eventID
        case .eraseData(let payload): payload.eventID
        case .rebook(let payload): payload.eventID
        }
    }
}
