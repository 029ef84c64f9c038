import TransitKafka
import TransitWire

/// A record the transport worker consumes, decoded.
public enum TransportInput: Sendable {
    /// `travel.requests.v1`: travel requests, their cancellations, erasure requests.
    case travel(TravelEvent)
    /// `trial.access.events.v1`: `TravelNeeded`, `TravelNoLongerNeeded`, `VisitPlanned`.
    case trialAccess(TrialAccessEvent)
    /// `transport.partner.<id>.updates.v1`; `partnerID` is the one the topic names.
    case partnerUpdate(partnerID: String, PartnerRideUpdate)
    /// A `TransportBooking` request; answered from the record itself.
    case rpc(KafkaConsumerMessage)
    /// A record of an input topic that is not for this worker (e.g. `SlotReserved`); acknowledged.
    case notForThisWorker

    /// The input id of a partner update: partners choose their own event ids, so two partners may
    /// use the same one; the partner id keeps them apart (inbox key and output ids).
    public static func partnerEventID(partnerID: String, eventID: String) -> String {
        "partner/\(partnerID)/\(eventID)"
    }
}
