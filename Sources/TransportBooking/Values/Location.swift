/// A place a vehicle can drive to (mirrors `trialtransit.v1.Location`). Personal data when it is a
/// patient's pickup point: kept only on ride legs, sent only to the partner offered the leg, and
/// erased on `PatientDataErasureRequested`.
public struct Location: Codable, Sendable, Hashable {
    /// Kerb-side coordinates.
    public var point: GeoPoint
    /// Street address as a driver would type it; never a name, department or specialty.
    public var addressText: String

    public init(point: GeoPoint, addressText: String) {
        self.point = point
        self.addressText = addressText
    }
}
