import Foundation

extension PartnerDirectory {
    /// Reads and validates a partner file (format: docs/TRANSPORT.md, "Partner file").
    public static func load(json: Data) throws(PartnerDirectoryError) -> PartnerDirectory {
        let file: PartnerFile
        do {
            file = try JSONDecoder().decode(PartnerFile.self, from: json)
        } catch let error as DecodingError {
            throw PartnerFile.describe(error)
        } catch {
            throw .malformed(path: "", detail: "not JSON")
        }
        guard file.version == fileVersion else { throw .unsupportedVersion(file.version) }
        guard let entries = file.partners, !entries.isEmpty else { throw .noPartners }
        var partners: [Partner] = []
        for (index, entry) in entries.enumerated() {
            partners.append(try entry.partner(index: index))
        }
        return try PartnerDirectory(partners: partners)
    }

    /// Reads and validates the partner file at `url`.
    public static func load(contentsOf url: URL) throws(PartnerDirectoryError) -> PartnerDirectory {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .malformed(path: "", detail: "cannot read \(url.lastPathComponent)")
        }
        return try load(json: data)
    }

    /// The directory in the file format (pretty-printed, keys sorted), readable by ``load(json:)``.
    public func jsonData() -> Data {
        let file = PartnerFile(version: PartnerDirectory.fileVersion, partners: partners.map(PartnerFile.Entry.init))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Encoding plain strings and numbers cannot fail.
        return (try? encoder.encode(file)) ?? Data()
    }
}

/// The JSON shape of the partner file; every field optional so that validation can say which
/// one is missing.
struct PartnerFile: Codable {
    var version: Int?
    var partners: [Entry]?

    struct Entry: Codable {
        var id: String?
        var name: String?
        var priority: Int?
        var serviceArea: Area?
        var capabilities: Capabilities?
        var minimumLeadTimeMinutes: Int?
        var freeCancellationMinutes: Int?
        var responseTimeoutSeconds: Int?

        enum CodingKeys: String, CodingKey {
            case id, name, priority, capabilities
            case serviceArea = "service_area"
            case minimumLeadTimeMinutes = "minimum_lead_time_minutes"
            case freeCancellationMinutes = "free_cancellation_minutes"
            case responseTimeoutSeconds = "response_timeout_seconds"
        }
    }

    struct Area: Codable {
        var centre: Point?
        var radiusKm: Double?

        enum CodingKeys: String, CodingKey {
            case centre
            case radiusKm = "radius_km"
        }
    }

    struct Point: Codable {
        var latitude: Double?
        var longitude: Double?
    }

    struct Capabilities: Codable {
        var mobility: [String]?
        var companionSeats: UInt32?

        enum CodingKeys: String, CodingKey {
            case mobility
            case companionSeats = "companion_seats"
        }
    }

    static func describe(_ error: DecodingError) -> PartnerDirectoryError {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce(into: "") { text, key in
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
        }
        switch error {
        case .typeMismatch(let type, let context):
            return .malformed(path: path(context.codingPath), detail: "expected \(type)")
        case .valueNotFound(let type, let context):
            return .malformed(path: path(context.codingPath), detail: "expected \(type), found null")
        case .keyNotFound(let key, let context):
            return .malformed(path: path(context.codingPath + [key]), detail: "missing")
        case .dataCorrupted(let context):
            return .malformed(path: path(context.codingPath), detail: "not valid JSON")
        @unknown default:
            return .malformed(path: "", detail: "cannot decode")
        }
    }
}

extension PartnerFile.Entry {
    init(_ partner: Partner) {
        id = partner.id
        name = partner.name
        priority = partner.priority
        serviceArea = PartnerFile.Area(
            centre: PartnerFile.Point(
                latitude: partner.serviceArea.centre.latitude, longitude: partner.serviceArea.centre.longitude),
            radiusKm: partner.serviceArea.radiusKm)
        capabilities = PartnerFile.Capabilities(
            mobility: partner.mobility.sorted().map(\.rawValue), companionSeats: partner.companionSeats)
        minimumLeadTimeMinutes = partner.minimumLeadTimeMinutes
        freeCancellationMinutes = partner.freeCancellationMinutes
        responseTimeoutSeconds = partner.responseTimeoutSeconds
    }

    func partner(index: Int) throws(PartnerDirectoryError) -> Partner {
        guard let id, !id.isEmpty else { throw .missingField(partner: "#\(index + 1)", field: "id") }
        func need<T>(_ value: T?, _ field: String) throws(PartnerDirectoryError) -> T {
            guard let value else { throw .missingField(partner: id, field: field) }
            return value
        }
        let latitude = try need(serviceArea?.centre?.latitude, "service_area.centre.latitude")
        let longitude = try need(serviceArea?.centre?.longitude, "service_area.centre.longitude")
        let radius = try need(serviceArea?.radiusKm, "service_area.radius_km")
        let mobilityNames = try need(capabilities?.mobility, "capabilities.mobility")
        var mobility = Set<Mobility>()
        for name in mobilityNames {
            guard let value = Mobility(rawValue: name) else {
                throw .invalidValue(
                    partner: id, field: "capabilities.mobility",
                    detail: "has unknown value \"\(name)\" (expected ambulatory, wheelchair or stretcher)")
            }
            mobility.insert(value)
        }
        return Partner(
            id: id,
            name: name ?? id,
            serviceArea: ServiceArea(centre: GeoPoint(latitude: latitude, longitude: longitude), radiusKm: radius),
            mobility: mobility,
            companionSeats: try need(capabilities?.companionSeats, "capabilities.companion_seats"),
            minimumLeadTimeMinutes: try need(minimumLeadTimeMinutes, "minimum_lead_time_minutes"),
            freeCancellationMinutes: try need(freeCancellationMinutes, "free_cancellation_minutes"),
            responseTimeoutSeconds: try need(responseTimeoutSeconds, "response_timeout_seconds"),
            priority: try need(priority, "priority"))
    }
}
