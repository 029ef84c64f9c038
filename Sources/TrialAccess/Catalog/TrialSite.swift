/// Where a site is: coordinates for distance and the street address a driver sees
/// (mirrors `trialtransit.v1.Location`). Institutional data, never a patient's.
public struct SiteLocation: Codable, Sendable, Hashable {
    /// Kerb-side coordinates.
    public var point: GeoPoint
    /// Street address and entrance ("Hospital Road 1, entrance B"); never a department or
    /// specialty. May be empty.
    public var addressText: String

    public init(point: GeoPoint, addressText: String = "") {
        self.point = point
        self.addressText = addressText
    }
}

/// A site (hospital, clinic) running a trial (mirrors `trialtransit.v1.TrialSite`).
public struct TrialSite: Sendable, Hashable {
    /// Site id; unique within its trial.
    public var siteID: String
    /// Institution name, for coordinators. Never sent to transport partners.
    public var name: String
    /// Coordinates and street address.
    public var location: SiteLocation
    /// Patients the site can have in screening at once for this trial (screening slots).
    public var screeningCapacity: Int
    /// Whether this site takes new patients for this trial.
    public var recruiting: Bool

    public init(
        siteID: String, name: String = "", location: SiteLocation, screeningCapacity: Int, recruiting: Bool = true
    ) {
        self.siteID = siteID
        self.name = name
        self.location = location
        self.screeningCapacity = screeningCapacity
        self.recruiting = recruiting
    }
}
