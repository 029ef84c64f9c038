import Foundation

/// Where a point lies, coarsely: the centre of its grid cell (mirrors `trialtransit.v1.CoarseArea`).
/// What an offer tells a partner instead of an address (minimum necessary): enough to see whether
/// the trip is in its service area, not enough to find a house.
public struct CoarseArea: Codable, Sendable, Hashable {
    /// Cell size in degrees of latitude and of longitude (about 2.2 km north-south).
    public static let cellDegrees = 0.02

    /// Centre of the cell, rounded to 6 decimals.
    public var cellCentre: GeoPoint
    /// The point lies within this many metres of `cellCentre` (half the cell's longest diagonal).
    public var radiusMeters: UInt32

    public init(cellCentre: GeoPoint, radiusMeters: UInt32) {
        self.cellCentre = cellCentre
        self.radiusMeters = radiusMeters
    }

    /// The cell `point` lies in.
    public init(containing point: GeoPoint) {
        let size = Self.cellDegrees
        let south = max(-90, (point.latitude / size).rounded(.down) * size)
        let west = (point.longitude / size).rounded(.down) * size
        let north = min(90, south + size)
        let centre = GeoPoint(latitude: Self.rounded((south + north) / 2), longitude: Self.rounded(west + size / 2))
        // The cell is widest on its side nearer the equator.
        let widest = abs(south) < abs(north) ? south : north
        let corner = GeoPoint(latitude: widest, longitude: west)
        self.init(cellCentre: centre, radiusMeters: UInt32((centre.distanceKm(to: corner) * 1000).rounded(.up)))
    }

    /// Great-circle distance between two points for an offer: metres, rounded to the nearest
    /// 500 m and at least 500 (a partner prices on it; the exact figure would narrow the address).
    public static func offerDistanceMeters(from pickup: GeoPoint, to dropOff: GeoPoint) -> UInt32 {
        let halfKilometres = (pickup.distanceKm(to: dropOff) * 2).rounded()
        return UInt32(max(1, halfKilometres) * 500)
    }

    private static func rounded(_ degrees: Double) -> Double { (degrees * 1_000_000).rounded() / 1_000_000 }
}
