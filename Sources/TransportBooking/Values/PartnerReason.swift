/// Why a partner rejected, could not serve, or stopped a ride (mirrors `trialtransit.v1.PartnerReason`).
public enum PartnerReason: String, Codable, Sendable, Hashable, CaseIterable {
    case vehicleUnsuitable = "VEHICLE_UNSUITABLE"
    case outsideServiceArea = "OUTSIDE_SERVICE_AREA"
    case noDriver = "NO_DRIVER"
    case patientNotPresent = "PATIENT_NOT_PRESENT"
    case vehicleProblem = "VEHICLE_PROBLEM"
    case other = "OTHER"

    /// Number of the value in `partner.proto`.
    public var protoNumber: Int32 {
        switch self {
        case .vehicleUnsuitable: 1
        case .outsideServiceArea: 2
        case .noDriver: 3
        case .patientNotPresent: 4
        case .vehicleProblem: 5
        case .other: 6
        }
    }

    /// The value for a `partner.proto` number; nil for UNSPECIFIED (0) and unknown numbers.
    public init?(protoNumber: Int32) {
        guard let value = PartnerReason.allCases.first(where: { $0.protoNumber == protoNumber }) else { return nil }
        self = value
    }

    /// Machine code used in `reason_code` fields, e.g. `PARTNER:NO_DRIVER`.
    public var reasonCode: String { "PARTNER:\(rawValue)" }
}
