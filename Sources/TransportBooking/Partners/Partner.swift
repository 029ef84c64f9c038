/// A transport partner from the partner configuration file.
public struct Partner: Sendable, Hashable, Identifiable {
    /// Partner id, `[a-z0-9-]+`; names its topics `transport.partner.<id>.requests.v1` / `.updates.v1`.
    public var id: String
    /// Display name (operations only; never sent anywhere).
    public var name: String
    /// Where the partner drives.
    public var serviceArea: ServiceArea
    /// Mobility needs its vehicles accommodate.
    public var mobility: Set<Mobility>
    /// Seats for companions besides the patient.
    public var companionSeats: UInt32
    /// Shortest time between now and the earliest pickup the partner accepts, minutes.
    public var minimumLeadTimeMinutes: Int
    /// Cancelling an accepted ride is free until this many minutes before the pickup window
    /// starts; later it is a late cancellation.
    public var freeCancellationMinutes: Int
    /// How long the partner has to answer an offer, seconds.
    public var responseTimeoutSeconds: Int
    /// Lower is tried first.
    public var priority: Int
    /// Longest ride and extra pickup lead of long rides.
    public var distanceRules: DistanceRules

    public init(
        id: String, name: String, serviceArea: ServiceArea, mobility: Set<Mobility>, companionSeats: UInt32,
        minimumLeadTimeMinutes: Int, freeCancellationMinutes: Int, responseTimeoutSeconds: Int, priority: Int,
        distanceRules: DistanceRules = .none
    ) {
        self.id = id
        self.name = name
        self.serviceArea = serviceArea
        self.mobility = mobility
        self.companionSeats = companionSeats
        self.minimumLeadTimeMinutes = minimumLeadTimeMinutes
        self.freeCancellationMinutes = freeCancellationMinutes
        self.responseTimeoutSeconds = responseTimeoutSeconds
        self.priority = priority
        self.distanceRules = distanceRules
    }

    /// True when both points lie in the service area.
    public func covers(pickup: GeoPoint, dropOff: GeoPoint) -> Bool {
        serviceArea.contains(pickup) && serviceArea.contains(dropOff)
    }

    /// True when the ride from `pickup` to `dropOff` is not longer than the partner's maximum ride.
    public func takesRide(from pickup: GeoPoint, to dropOff: GeoPoint) -> Bool {
        distanceRules.accepts(rideKm: pickup.distanceKm(to: dropOff))
    }

    /// True when the partner carries this mobility need with this many companions.
    public func canCarry(_ needs: RideNeeds) -> Bool {
        mobility.contains(needs.mobility) && needs.companions <= companionSeats
    }

    /// True when a pickup starting at `pickupAt` is far enough ahead of `now`.
    public func acceptsLeadTime(pickupAt: Int64, now: Int64) -> Bool {
        pickupAt - now >= Millis.minutes(minimumLeadTimeMinutes)
    }

    /// True when cancelling at `now` a ride whose pickup window starts at `pickupAt` is late.
    public func isLateCancellation(pickupAt: Int64, now: Int64) -> Bool {
        now > pickupAt - Millis.minutes(freeCancellationMinutes)
    }

    /// Topic TrialTransit writes this partner's offers and cancellations to (without prefix).
    public var requestsTopic: String { "transport.partner.\(id).requests.v1" }
    /// Topic the partner writes its ride updates to (without prefix).
    public var updatesTopic: String { "transport.partner.\(id).updates.v1" }
}

/// A circle on the map: centre and radius.
public struct ServiceArea: Sendable, Hashable {
    /// Centre of the area.
    public var centre: GeoPoint
    /// Radius, km (great-circle).
    public var radiusKm: Double

    public init(centre: GeoPoint, radiusKm: Double) {
        self.centre = centre
        self.radiusKm = radiusKm
    }

    /// True when `point` is within `radiusKm` of the centre.
    public func contains(_ point: GeoPoint) -> Bool { centre.distanceKm(to: point) <= radiusKm }
}
