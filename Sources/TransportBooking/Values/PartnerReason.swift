import TransitDomain

/// Why a partner rejected, could not serve, or stopped a ride (mirrors `trialtransit.v1.PartnerReason`).
public enum PartnerReason: String, Codable, Sendable, Hashable, ProtoNumbered {
    case vehicleUnsuitable = "VEHICLE_UNSUITABLE"
    case outsideServiceArea = "OUTSIDE_SERVICE_AREA"
    case noDriver = "NO_DRIVER"
    case patientNotPresent = "PATIENT_NOT_PRESENT"
    case vehicleProblem = "VEHICLE_PROBLEM"
    case other = "OTHER"

    /// Machine code used in `reason_code` fields, e.g. `PARTNER:NO_DRIVER`.
    public var reasonCode: String { "PARTNER:\(rawValue)" }
}
