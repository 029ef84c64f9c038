import Foundation

/// A point on the WGS 84 ellipsoid in decimal degrees (mirrors `trialtransit.v1.GeoPoint`).
///
/// For a patient in trial access this is only ever the coarse home area (a postcode-area centroid
/// rounded to about 1 km), used for site distance and never stored on the enrollment.
public struct GeoPoint: Codable, Sendable, Hashable {
    /// Latitude, -90 to 90 (north positive).
    public var latitude: Double
    /// Longitude, -180 to 180 (east positive).
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// True when both coordinates are finite and in range.
    public var isValid: Bool {
        latitude.isFinite && longitude.isFinite && (-90...90).contains(latitude) && (-180...180).contains(longitude)
    }

    /// Mean Earth radius (IUGG), km.
    public static let earthRadiusKm = 6371.0088

    /// Great-circle (haversine) distance to `other`, km.
    public func distanceKm(to other: GeoPoint) -> Double {
        let toRadians = Double.pi / 180
        let lat1 = latitude * toRadians
        let lat2 = other.latitude * toRadians
        let dLat = (other.latitude - latitude) * toRadians
        let dLon = (other.longitude - longitude) * toRadians
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1) * cos(lat2) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * GeoPoint.earthRadiusKm * asin(min(1, sqrt(a)))
    }
}
