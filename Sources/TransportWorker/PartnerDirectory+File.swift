import Foundation
import TransitDomain
import TransitRuntime
import TransitWire
import TransportBooking

/// The partner file (`--partners`): a `trialtransit.v1.PartnerFile` in proto3 JSON, read by the
/// generated decoder that reads every topic (proto field names or lowerCamelCase names; docs/WIRE.md §8).
/// Format and rules: docs/TRANSPORT.md §8.
extension PartnerDirectory {
    /// Parses, maps and validates a partner document. Throws ``PartnerDirectoryError/malformed(_:)``
    /// naming the field of the first shape error, or the first rule broken, naming partner and field.
    public static func load(protoJSON text: some Collection<UInt8>) throws(PartnerDirectoryError) -> PartnerDirectory {
        let file: PartnerFile
        do {
            file = try PartnerFile(jsonUTF8: text)
        } catch {
            throw .malformed(error.message)
        }
        let version = file.version.map(Int.init)
        guard version == fileVersion else { throw .unsupportedVersion(version) }
        guard !file.partners.isEmpty else { throw .noPartners }
        var partners: [Partner] = []
        for (index, entry) in file.partners.enumerated() {
            partners.append(try entry.partner(index: index))
        }
        return try PartnerDirectory(partners: partners)
    }

    /// Reads the partner file at `path`; errors name the file.
    public static func load(file path: String) throws(PartnerFileError) -> PartnerDirectory {
        try StartupFileError.read("partner file", path: path) { data throws(PartnerDirectoryError) in
            try load(protoJSON: data)
        }
    }

    /// The directory as a file document (partners sorted by id), loadable by ``load(protoJSON:)``.
    public func protoJSON() -> String {
        PartnerFile(version: Int32(Self.fileVersion), partners: partners.map(PartnerFileEntry.init)).jsonString()
    }
}

/// A partner file that cannot be used: its path and what is wrong (one line).
public typealias PartnerFileError = StartupFileError

extension PartnerFileEntry {
    init(_ partner: Partner) {
        self.init(
            id: partner.id, name: partner.name, priority: Int32(clamping: partner.priority),
            serviceArea: PartnerFileArea(
                centre: PartnerFilePoint(
                    latitude: partner.serviceArea.centre.latitude, longitude: partner.serviceArea.centre.longitude),
                radiusKm: partner.serviceArea.radiusKm),
            capabilities: PartnerFileCapabilities(
                mobility: partner.mobility.sorted().map(\.rawValue), companionSeats: partner.companionSeats),
            minimumLeadTimeMinutes: Int32(clamping: partner.minimumLeadTimeMinutes),
            freeCancellationMinutes: Int32(clamping: partner.freeCancellationMinutes),
            responseTimeoutSeconds: Int32(clamping: partner.responseTimeoutSeconds),
            distanceRules: partner.distanceRules == .none ? nil : PartnerFileDistanceRules(partner.distanceRules))
    }

    func partner(index: Int) throws(PartnerDirectoryError) -> Partner {
        guard !id.isEmpty else { throw .missingField(partner: "#\(index + 1)", field: "id") }
        let id = self.id
        func need<T>(_ value: T?, _ field: String) throws(PartnerDirectoryError) -> T {
            guard let value else { throw .missingField(partner: id, field: field) }
            return value
        }
        let latitude = try need(serviceArea?.centre?.latitude, "service_area.centre.latitude")
        let longitude = try need(serviceArea?.centre?.longitude, "service_area.centre.longitude")
        let radius = try need(serviceArea?.radiusKm, "service_area.radius_km")
        let mobilityNames = try need(capabilities?.mobility, "capabilities.mobility")
        var mobility = Set<TransitDomain.Mobility>()
        for name in mobilityNames {
            guard let value = TransitDomain.Mobility(rawValue: name) else {
                throw .invalidValue(
                    partner: id, field: "capabilities.mobility",
                    detail: "has unknown value \"\(name)\" (expected ambulatory, wheelchair or stretcher)")
            }
            mobility.insert(value)
        }
        return Partner(
            id: id,
            name: name.isEmpty ? id : name,
            serviceArea: ServiceArea(centre: TransitDomain.GeoPoint(latitude: latitude, longitude: longitude), radiusKm: radius),
            mobility: mobility,
            companionSeats: try need(capabilities?.companionSeats, "capabilities.companion_seats"),
            minimumLeadTimeMinutes: Int(try need(minimumLeadTimeMinutes, "minimum_lead_time_minutes")),
            freeCancellationMinutes: Int(try need(freeCancellationMinutes, "free_cancellation_minutes")),
            responseTimeoutSeconds: Int(try need(responseTimeoutSeconds, "response_timeout_seconds")),
            priority: Int(try need(priority, "priority")),
            distanceRules: distanceRules.map(DistanceRules.init) ?? .none)
    }
}

extension PartnerFileDistanceRules {
    init(_ rules: DistanceRules) {
        self.init(
            maxRideKm: rules.maxRideKm, extraLeadFromKm: rules.extraLeadFromKm,
            extraLeadMinutesPer100Km: Int32(clamping: rules.extraLeadMinutesPer100Km))
    }
}

extension DistanceRules {
    init(_ file: PartnerFileDistanceRules) {
        self.init(
            maxRideKm: file.maxRideKm, extraLeadFromKm: file.extraLeadFromKm,
            extraLeadMinutesPer100Km: Int(file.extraLeadMinutesPer100Km))
    }
}
