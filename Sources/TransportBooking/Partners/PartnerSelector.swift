/// What partner choice needs to know about one leg.
public struct TripRequirements: Sendable, Hashable {
    /// Pickup point.
    public var pickup: GeoPoint
    /// Drop-off point.
    public var dropOff: GeoPoint
    /// Mobility, companions, language.
    public var needs: RideNeeds
    /// Earliest pickup (start of the pickup window), unix ms; lead times are measured to it.
    public var pickupAt: Int64

    public init(pickup: GeoPoint, dropOff: GeoPoint, needs: RideNeeds, pickupAt: Int64) {
        self.pickup = pickup
        self.dropOff = dropOff
        self.needs = needs
        self.pickupAt = pickupAt
    }
}

/// Why no partner can take a leg. Raw values are the machine codes used in `reason_code`.
public enum UnservableReason: String, Sendable, Hashable, CaseIterable {
    /// No partner's service area holds both pickup and drop-off.
    case noPartnerCoversArea = "NO_PARTNER_COVERS_AREA"
    /// Partners cover the area but the ride is longer than each one's maximum ride distance.
    case rideTooLong = "RIDE_TOO_LONG"
    /// Partners cover the area but none carries the mobility need.
    case noPartnerForMobility = "NO_PARTNER_FOR_MOBILITY"
    /// Partners carry the mobility need but have too few companion seats.
    case noPartnerForCompanions = "NO_PARTNER_FOR_COMPANIONS"
    /// Partners fit but the pickup is closer than their minimum lead time.
    case leadTimeTooShort = "LEAD_TIME_TOO_SHORT"
    /// Every partner that fits has already been tried for this leg.
    case allPartnersTried = "ALL_PARTNERS_TRIED"
}

/// Result of partner choice.
public enum PartnerChoice: Sendable, Hashable {
    /// Offer the leg to `partner`; `remaining` are the other eligible partners, in order.
    case partner(Partner, remaining: [Partner])
    /// Nobody can take the leg.
    case unservable(UnservableReason)
}

/// Chooses partners for a leg: those whose service area covers pickup and drop-off, whose maximum
/// ride distance the ride does not exceed, that carry the mobility need and the companions, and
/// whose minimum lead time fits; ordered by priority (lower first), then distance from their centre
/// to the pickup, then id. A preferred partner that is eligible goes first. Partners already tried
/// for the leg are skipped.
public enum PartnerSelector {
    /// Eligible partners in offer order (ignores partners already tried).
    public static func eligible(
        for trip: TripRequirements, in directory: PartnerDirectory, now: Int64, preferredPartnerID: String? = nil
    ) -> [Partner] {
        let fitting = directory.partners.filter {
            $0.covers(pickup: trip.pickup, dropOff: trip.dropOff) && $0.takesRide(from: trip.pickup, to: trip.dropOff)
                && $0.canCarry(trip.needs) && $0.acceptsLeadTime(pickupAt: trip.pickupAt, now: now)
        }
        let ordered = fitting.sorted { lhs, rhs in
            if lhs.priority != rhs.priority { return lhs.priority < rhs.priority }
            let lhsDistance = lhs.serviceArea.centre.distanceKm(to: trip.pickup)
            let rhsDistance = rhs.serviceArea.centre.distanceKm(to: trip.pickup)
            if lhsDistance != rhsDistance { return lhsDistance < rhsDistance }
            return lhs.id < rhs.id
        }
        guard let preferredPartnerID, let index = ordered.firstIndex(where: { $0.id == preferredPartnerID }) else {
            return ordered
        }
        var preferredFirst = ordered
        preferredFirst.insert(preferredFirst.remove(at: index), at: 0)
        return preferredFirst
    }

    /// The next partner to offer the leg to, or the most specific reason why there is none.
    public static func choose(
        for trip: TripRequirements, in directory: PartnerDirectory, now: Int64, excluding tried: Set<String> = [],
        preferredPartnerID: String? = nil
    ) -> PartnerChoice {
        let candidates = eligible(for: trip, in: directory, now: now, preferredPartnerID: preferredPartnerID)
            .filter { !tried.contains($0.id) }
        if let first = candidates.first {
            return .partner(first, remaining: Array(candidates.dropFirst()))
        }
        return .unservable(reason(for: trip, in: directory, now: now, tried: tried))
    }

    /// The earliest pickup any partner that could take the trip (area, ride distance, needs) accepts:
    /// `now` + the shortest minimum lead time among them (`now` when none fits or a point is unknown).
    public static func earliestPickup(
        pickup: GeoPoint?, dropOff: GeoPoint?, needs: RideNeeds, in directory: PartnerDirectory, now: Int64
    ) -> Int64 {
        guard let pickup, let dropOff else { return now }
        let leadTimes = capable(pickup: pickup, dropOff: dropOff, needs: needs, in: directory)
            .map(\.minimumLeadTimeMinutes)
        return now + Millis.minutes(leadTimes.min() ?? 0)
    }

    /// How much earlier a planned outbound pickup window opens for the ride's length: the largest
    /// extra lead (``DistanceRules/extraLeadMinutes(rideKm:)``) among the partners that could take
    /// the trip (area, ride distance, needs), so that whichever of them gets the offer has its lead;
    /// 0 when none could.
    public static func extraLeadMinutes(
        pickup: GeoPoint, dropOff: GeoPoint, needs: RideNeeds, in directory: PartnerDirectory
    ) -> Int {
        let km = pickup.distanceKm(to: dropOff)
        return capable(pickup: pickup, dropOff: dropOff, needs: needs, in: directory)
            .map { $0.distanceRules.extraLeadMinutes(rideKm: km) }.max() ?? 0
    }

    /// Partners that cover the trip, take a ride this long and carry its needs (lead time aside).
    private static func capable(
        pickup: GeoPoint, dropOff: GeoPoint, needs: RideNeeds, in directory: PartnerDirectory
    ) -> [Partner] {
        directory.partners.filter {
            $0.covers(pickup: pickup, dropOff: dropOff) && $0.takesRide(from: pickup, to: dropOff) && $0.canCarry(needs)
        }
    }

    /// The first filter that leaves no partner, in the order area, ride distance, mobility, companions, lead time;
    /// when partners fit but were all tried: lead time if an untried partner failed only on it,
    /// else all tried.
    static func reason(
        for trip: TripRequirements, in directory: PartnerDirectory, now: Int64, tried: Set<String>
    ) -> UnservableReason {
        let covering = directory.partners.filter { $0.covers(pickup: trip.pickup, dropOff: trip.dropOff) }
        if covering.isEmpty { return .noPartnerCoversArea }
        let reaching = covering.filter { $0.takesRide(from: trip.pickup, to: trip.dropOff) }
        if reaching.isEmpty { return .rideTooLong }
        let mobile = reaching.filter { $0.mobility.contains(trip.needs.mobility) }
        if mobile.isEmpty { return .noPartnerForMobility }
        let seated = mobile.filter { trip.needs.companions <= $0.companionSeats }
        if seated.isEmpty { return .noPartnerForCompanions }
        let timely = seated.filter { $0.acceptsLeadTime(pickupAt: trip.pickupAt, now: now) }
        if timely.isEmpty { return .leadTimeTooShort }
        // Every eligible partner was tried; name the lead time if an untried one lost only to it.
        return seated.contains { !tried.contains($0.id) } ? .leadTimeTooShort : .allPartnersTried
    }
}
