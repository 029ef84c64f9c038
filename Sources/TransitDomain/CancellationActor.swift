/// Who cancelled a visit or a ride (mirrors `trialtransit.v1.CancellationActor` without UNSPECIFIED).
public enum CancellationActor: String, Codable, Sendable, Hashable, ProtoNumbered {
    /// The patient (through the enrollment system or the coordinator).
    case patient
    /// A site or trial coordinator.
    case coordinator
    /// TrialTransit itself (visit cancelled or moved, patient withdrawn, data erased).
    case system
    /// The transport partner that carried the ride.
    case partner
}
