import Testing
import TransitTestSupport
import TransitWire
import TransportBooking
import TransportWorker

/// The partner file (`--partners`) is read by the generated proto3 JSON decoder of
/// `trialtransit.v1.PartnerFile`, like every topic (docs/TRANSPORT.md §8, docs/WIRE.md §8).
@Suite("Partner file")
struct PartnerFileTests {
    static let samplePath = TestEnvironment.repositoryRoot + "/samples/partners.json"

    func load(_ json: String) throws(PartnerDirectoryError) -> PartnerDirectory {
        try PartnerDirectory.load(protoJSON: Array(json.utf8))
    }

    func error(_ json: String) -> PartnerDirectoryError? {
        do {
            _ = try load(json)
            return nil
        } catch {
            return error
        }
    }

    /// One valid partner entry; `overrides` replace top-level keys with JSON text (nil removes a key).
    func file(_ overrides: [String: String?] = [:], version: Int = 1) -> String {
        var entry: [String: String] = [
            "id": #""metro-taxi""#, "priority": "1",
            "service_area": #"{"centre": {"latitude": 42.36, "longitude": -71.06}, "radius_km": 60}"#,
            "capabilities": #"{"mobility": ["ambulatory"], "companion_seats": 3}"#,
            "minimum_lead_time_minutes": "120", "free_cancellation_minutes": "60", "response_timeout_seconds": "120",
        ]
        for (key, value) in overrides { entry[key] = value }
        let fields = entry.sorted { $0.key < $1.key }.map { #""\#($0.key)": \#($0.value)"# }
        return #"{"version": \#(version), "partners": [{\#(fields.joined(separator: ", "))}]}"#
    }

    @Test func theSampleFileHasATaxiAndAWheelchairCapableMedicalPartner() throws {
        let directory = try PartnerDirectory.load(file: Self.samplePath)
        let taxi = try #require(directory.partner(id: "metro-taxi"))
        let medical = try #require(directory.partner(id: "careways-medical"))
        #expect(directory.partners.count == 2)
        #expect(taxi.mobility == [.ambulatory] && taxi.priority < medical.priority)
        #expect(medical.mobility.isSuperset(of: [.wheelchair, .stretcher]))
        #expect(medical.serviceArea.radiusKm > taxi.serviceArea.radiusKm)
        #expect(taxi.requestsTopic == "transport.partner.metro-taxi.requests.v1")
    }

    @Test func everyFieldOfAnEntryIsMapped() throws {
        let taxi = try #require(try load(file(["name": #""Metro Taxi""#])).partner(id: "metro-taxi"))
        #expect(taxi.name == "Metro Taxi" && taxi.priority == 1)
        #expect(taxi.serviceArea.centre.latitude == 42.36 && taxi.serviceArea.centre.longitude == -71.06)
        #expect(taxi.serviceArea.radiusKm == 60)
        #expect(taxi.mobility == [.ambulatory] && taxi.companionSeats == 3)
        #expect(taxi.minimumLeadTimeMinutes == 120 && taxi.freeCancellationMinutes == 60)
        #expect(taxi.responseTimeoutSeconds == 120)
    }

    @Test func writingAndReadingGivesTheSameDirectory() throws {
        let directory = try PartnerDirectory.load(file: Self.samplePath)
        #expect(try load(directory.protoJSON()) == directory)
    }

    @Test func lowerCamelCaseNamesLoadAsOnTheTopics() throws {
        let json = """
            {"version": 1, "partners": [{"id": "metro-taxi", "priority": 1,
              "serviceArea": {"centre": {"latitude": 42.36, "longitude": -71.06}, "radiusKm": 60},
              "capabilities": {"mobility": ["ambulatory"], "companionSeats": 3},
              "minimumLeadTimeMinutes": 120, "freeCancellationMinutes": 60, "responseTimeoutSeconds": 120}]}
            """
        #expect(try load(json) == load(file()))
    }

    @Test func aValidEntryLoadsAndTheNameDefaultsToTheID() throws {
        let directory = try load(file())
        #expect(directory.partners.map(\.name) == ["metro-taxi"])
    }

    @Test(arguments: [#""Metro Taxi""#, #""metro_taxi""#, #""""#])
    func idsMustBeLowerCaseLettersDigitsAndDashes(id: String) {
        let failure = error(file(["id": id]))
        #expect(failure != nil)
        #expect(failure.map { "\($0)".contains("id") } == true)
    }

    @Test(arguments: [
        "response_timeout_seconds", "priority", "minimum_lead_time_minutes", "free_cancellation_minutes",
    ])
    func aMissingFieldIsNamed(field: String) {
        let failure = error(file([field: String?.none]))
        #expect(failure == .missingField(partner: "metro-taxi", field: field))
        #expect(failure.map { "\($0)" } == "partner metro-taxi: missing \(field)")
    }

    @Test func aMissingCoordinateIsNamedNotReadAsZero() {
        let failure = error(file(["service_area": #"{"centre": {"longitude": -71.06}, "radius_km": 60}"#]))
        #expect(failure == .missingField(partner: "metro-taxi", field: "service_area.centre.latitude"))
    }

    @Test func anUnknownMobilityIsNamed() {
        let failure = error(file(["capabilities": #"{"mobility": ["hovercraft"], "companion_seats": 1}"#]))
        #expect(failure.map { "\($0)".contains("hovercraft") } == true)
    }

    @Test(arguments: [
        ("service_area", #"{"centre": {"latitude": 42.36, "longitude": -71.06}, "radius_km": 0}"#),
        ("service_area", #"{"centre": {"latitude": 95, "longitude": -71.06}, "radius_km": 10}"#),
        ("capabilities", #"{"mobility": [], "companion_seats": 1}"#),
        ("response_timeout_seconds", "0"),
        ("minimum_lead_time_minutes", "-5"),
    ])
    func outOfRangeValuesAreRefused(key: String, json: String) {
        guard case .invalidValue(let partner, let field, _)? = error(file([key: json])) else {
            Issue.record("expected invalidValue for \(key)")
            return
        }
        #expect(partner == "metro-taxi")
        #expect(field.hasPrefix(key))
    }

    @Test func distanceRulesAreMappedAndWrittenBack() throws {
        let rules = #"{"max_ride_km": 600, "extra_lead_from_km": 100, "extra_lead_minutes_per_100_km": 15}"#
        let directory = try load(file(["distance_rules": rules]))
        let partner = try #require(directory.partner(id: "metro-taxi"))
        #expect(partner.distanceRules == DistanceRules(maxRideKm: 600, extraLeadFromKm: 100, extraLeadMinutesPer100Km: 15))
        let written = directory.protoJSON()
        #expect(written.contains("maxRideKm") && written.contains("extraLeadMinutesPer100Km"))
        #expect(try load(written) == directory)
        let camel = #"{"maxRideKm": 600, "extraLeadFromKm": 100, "extraLeadMinutesPer100Km": 15}"#
        #expect(try load(file(["distance_rules": camel])) == directory)
    }

    @Test func withoutDistanceRulesThereIsNoLimitAndNothingIsWritten() throws {
        let directory = try load(file())
        #expect(directory.partners.map(\.distanceRules) == [.none])
        #expect(!directory.protoJSON().contains("distanceRules"))
        let onlyLead = try load(file(["distance_rules": #"{"extra_lead_minutes_per_100_km": 10}"#]))
        #expect(onlyLead.partners.map(\.distanceRules) == [DistanceRules(extraLeadMinutesPer100Km: 10)])
        #expect(try load(onlyLead.protoJSON()) == onlyLead)
    }

    @Test(arguments: [
        (#"{"max_ride_km": 0}"#, "distance_rules.max_ride_km"),
        (#"{"extra_lead_from_km": -1}"#, "distance_rules.extra_lead_from_km"),
        (#"{"extra_lead_minutes_per_100_km": -5}"#, "distance_rules.extra_lead_minutes_per_100_km"),
    ])
    func distanceRulesOutOfRangeAreRefused(json: String, field: String) {
        guard case .invalidValue(let partner, let named, _)? = error(file(["distance_rules": json])) else {
            Issue.record("expected invalidValue for \(json)")
            return
        }
        #expect(partner == "metro-taxi" && named == field)
    }

    @Test func anUnknownKeyInTheDistanceRulesIsRefused() {
        let failure = error(file(["distance_rules": #"{"max_ride_miles": 300}"#])).map { "\($0)" }
        #expect(failure?.contains("PartnerFileDistanceRules") == true && failure?.contains("max_ride_miles") == true)
    }

    @Test func aWrongTypeOrAnUnknownKeyNamesTheField() {
        let wrongType = error(file(["priority": #""high""#])).map { "\($0)" }
        #expect(wrongType?.hasPrefix("malformed: trialtransit.v1.PartnerFileEntry.priority:") == true)
        let unknown = error(file(["colour": #""red""#])).map { "\($0)" }
        #expect(unknown?.contains("PartnerFileEntry") == true && unknown?.contains("colour") == true)
    }

    @Test func theVersionAndThePartnerListAreRequired() {
        #expect(error(file(version: 2)) == .unsupportedVersion(2))
        #expect(error(#"{"partners": []}"#) == .unsupportedVersion(nil))
        #expect(error(#"{"version": 1, "partners": []}"#) == .noPartners)
        #expect(error("not json") != nil)
    }

    @Test func aFileErrorIsOneLineNamingTheFileAndTheField() throws {
        let path = TestEnvironment.repositoryRoot + "/Package.swift"
        #expect {
            try PartnerDirectory.load(file: path)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("partner file \(path): malformed: ") && !text.contains("\n")
        }
        #expect {
            try PartnerDirectory.load(file: "/nonexistent/partners.json")
        } throws: { error in
            "\(error)" == "partner file /nonexistent/partners.json: cannot be read"
        }
    }
}
