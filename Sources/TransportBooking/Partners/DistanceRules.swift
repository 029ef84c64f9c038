/// A partner's long-distance rules (partner file `distance_rules`, docs/TRANSPORT.md §8). Ride
/// distance is great-circle km from pickup to drop-off (haversine), the same for both legs.
public struct DistanceRules: Sendable, Hashable {
    /// The partner is not offered a ride longer than this, km; nil = no limit beyond the service area.
    public var maxRideKm: Double?
    /// Rides longer than this, km, get ``extraLeadMinutesPer100Km`` for the km beyond it.
    public var extraLeadFromKm: Double
    /// Minutes the outbound pickup window opens earlier per 100 km beyond ``extraLeadFromKm``.
    public var extraLeadMinutesPer100Km: Int

    public init(maxRideKm: Double? = nil, extraLeadFromKm: Double = 0, extraLeadMinutesPer100Km: Int = 0) {
        self.maxRideKm = maxRideKm
        self.extraLeadFromKm = extraLeadFromKm
        self.extraLeadMinutesPer100Km = extraLeadMinutesPer100Km
    }

    /// No limit and no extra lead (a partner file entry without `distance_rules`).
    public static let none = DistanceRules()

    /// True when a ride of `km` is not longer than ``maxRideKm`` (a ride exactly at the limit is taken).
    public func accepts(rideKm km: Double) -> Bool {
        guard let maxRideKm else { return true }
        return km <= maxRideKm
    }

    /// Extra pickup lead of a ride of `km`: the km beyond ``extraLeadFromKm`` × ``extraLeadMinutesPer100Km``
    /// ÷ 100, rounded up to whole minutes; 0 up to ``extraLeadFromKm``.
    public func extraLeadMinutes(rideKm km: Double) -> Int {
        let beyond = km - extraLeadFromKm
        guard beyond > 0, extraLeadMinutesPer100Km > 0, beyond.isFinite else { return 0 }
        let minutes = beyond * Double(extraLeadMinutesPer100Km) / 100
        // Ignore floating-point noise (far below a second) before rounding up, as travel times do.
        return Int((minutes - 1e-6).rounded(.up))
    }
}
