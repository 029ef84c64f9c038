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

    /// Number of the value in `common.proto`.
    public var protoNumber: Int32 {
        switch self {
        case .patient: 1
        case .coordinator: 2
        case .system: 3
        case .partner: 4
        }
    }
}
