/// The configured transport partners, validated. TransportWorker loads it from the partner file
/// (`PartnerDirectory.load(file:)`, format in docs/TRANSPORT.md §8).
public struct PartnerDirectory: Sendable, Hashable {
    /// Version of the partner file format.
    public static let fileVersion = 1

    /// Partners ordered by id.
    public let partners: [Partner]

    /// Validates `partners` (ids `[a-z0-9-]+` and unique, coordinates in range, radius > 0, at least
    /// one mobility, non-negative minutes, positive response time-out, distance rules in range).
    public init(partners: [Partner]) throws(PartnerDirectoryError) {
        guard !partners.isEmpty else { throw .noPartners }
        var seen = Set<String>()
        for partner in partners {
            try PartnerDirectory.validate(partner)
            guard seen.insert(partner.id).inserted else { throw .duplicateID(partner.id) }
        }
        self.partners = partners.sorted { $0.id < $1.id }
    }

    /// The partner with this id, if configured.
    public func partner(id: String) -> Partner? { partners.first { $0.id == id } }

    /// True when `id` is a valid partner id: 1 to 64 characters of `[a-z0-9-]`.
    public static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 64
            && id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    private static func validate(_ partner: Partner) throws(PartnerDirectoryError) {
        let id = partner.id
        guard isValidID(id) else {
            throw .invalidValue(
                partner: id.isEmpty ? "(empty id)" : id, field: "id",
                detail: "must match [a-z0-9-]+ (at most 64 characters)")
        }
        guard partner.serviceArea.centre.isValid else {
            throw .invalidValue(
                partner: id, field: "service_area.centre",
                detail: "must have latitude -90...90 and longitude -180...180")
        }
        guard partner.serviceArea.radiusKm.isFinite, partner.serviceArea.radiusKm > 0 else {
            throw .invalidValue(partner: id, field: "service_area.radius_km", detail: "must be greater than 0")
        }
        guard !partner.mobility.isEmpty else {
            throw .invalidValue(
                partner: id, field: "capabilities.mobility",
                detail: "must list at least one of ambulatory, wheelchair, stretcher")
        }
        guard partner.minimumLeadTimeMinutes >= 0 else {
            throw .invalidValue(partner: id, field: "minimum_lead_time_minutes", detail: "must not be negative")
        }
        guard partner.freeCancellationMinutes >= 0 else {
            throw .invalidValue(partner: id, field: "free_cancellation_minutes", detail: "must not be negative")
        }
        guard partner.responseTimeoutSeconds > 0 else {
            throw .invalidValue(partner: id, field: "response_timeout_seconds", detail: "must be greater than 0")
        }
        try validate(partner.distanceRules, id: id)
    }

    private static func validate(_ rules: DistanceRules, id: String) throws(PartnerDirectoryError) {
        if let maxRideKm = rules.maxRideKm, !(maxRideKm.isFinite && maxRideKm > 0) {
            throw .invalidValue(partner: id, field: "distance_rules.max_ride_km", detail: "must be greater than 0")
        }
        guard rules.extraLeadFromKm.isFinite, rules.extraLeadFromKm >= 0 else {
            throw .invalidValue(partner: id, field: "distance_rules.extra_lead_from_km", detail: "must not be negative")
        }
        guard rules.extraLeadMinutesPer100Km >= 0 else {
            throw .invalidValue(
                partner: id, field: "distance_rules.extra_lead_minutes_per_100_km", detail: "must not be negative")
        }
    }
}
