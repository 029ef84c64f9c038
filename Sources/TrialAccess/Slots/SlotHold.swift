/// A screening slot an enrollment holds at its site.
public struct SlotHold: Codable, Sendable, Hashable {
    /// Unique slot id: `<causing event id>/slot`.
    public var slotID: String
    /// Site whose capacity is used.
    public var siteID: String
    /// When it was reserved, unix ms.
    public var reservedAt: Int64
    /// When it lapses unless screening starts, unix ms; nil once screening started.
    public var expiresAt: Int64?

    public init(slotID: String, siteID: String, reservedAt: Int64, expiresAt: Int64?) {
        self.slotID = slotID
        self.siteID = siteID
        self.reservedAt = reservedAt
        self.expiresAt = expiresAt
    }
}

/// A recruiting site within the patient's reach, with its great-circle distance from home.
public struct ReachableSite: Codable, Sendable, Hashable {
    public var siteID: String
    /// Haversine distance from the home area, km.
    public var distanceKm: Double

    public init(siteID: String, distanceKm: Double) {
        self.siteID = siteID
        self.distanceKm = distanceKm
    }

    /// Distance rounded to whole km (as in `Enrollment.site_distance_km`).
    public var wholeKm: Int { distanceKm.isFinite ? Int(min(distanceKm, 1e9).rounded()) : 0 }
}
