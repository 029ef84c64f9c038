import TransitWire
import struct TrialAccess.TrialAccessCommand

/// One decoded record of the trial-access worker's input topics.
public enum TrialAccessInput: Sendable {
    /// An `enrollment.events.v1` event (body set).
    case enrollment(EnrollmentEvent)
    /// A `travel.requests.v1` event (body set).
    case travel(TravelEvent)
    /// A `trial.catalog.v1` record.
    case catalog(CatalogRecord)
    /// A `TrialAccess` RPC request (answered from the record itself).
    case rpc
    /// A `transport.booking.events.v1` event trial access acts on: a `RideNeedsAttention` that puts
    /// a visit at risk, or a `RideConfirmed` that may clear a risk.
    case bookingEvent(patientRef: String, occurredAt: Int64, TrialAccessCommand.Body)
    /// A `transport.booking.events.v1` event this worker does not act on (skipped, not dead-lettered).
    case notForThisWorker
}

/// A record of the compacted catalogue topic: a definition, or a tombstone (`definition` nil).
public struct CatalogRecord: Sendable {
    /// The record key.
    public var trialID: String
    public var definition: TrialDefinition?
}
