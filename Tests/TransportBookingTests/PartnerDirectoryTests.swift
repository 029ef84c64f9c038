import Foundation
import Testing
import TransportBooking

@Suite("Partner directory")
struct PartnerDirectoryTests {
    /// samples/partners.json in the repository (found through the real path of this file).
    static let sampleFile = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("samples/partners.json")

    func load(_ json: String) throws(PartnerDirectoryError) -> PartnerDirectory {
        try PartnerDirectory.load(json: Data(json.utf8))
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
        let directory = try PartnerDirectory.load(contentsOf: Self.sampleFile)
        let taxi = try #require(directory.partner(id: "metro-taxi"))
        let medical = try #require(directory.partner(id: "careways-medical"))
        #expect(directory.partners.count == 2)
        #expect(taxi.mobility == [.ambulatory] && taxi.priority < medical.priority)
        #expect(medical.mobility.isSuperset(of: [.wheelchair, .stretcher]))
        #expect(medical.serviceArea.radiusKm > taxi.serviceArea.radiusKm)
        // Both cover the sample trial site.
        #expect(directory.partners.allSatisfy { $0.serviceArea.contains(Fixture.site.point) })
        #expect(taxi.requestsTopic == "transport.partner.metro-taxi.requests.v1")
    }

    @Test func theSampleFileMatchesTheFixturePartners() throws {
        #expect(try PartnerDirectory.load(contentsOf: Self.sampleFile) == Fixture.directory)
    }

    @Test func writingAndReadingGivesTheSameDirectory() throws {
        let directory = Fixture.directory
        #expect(try PartnerDirectory.load(json: directory.jsonData()) == directory)
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

    @Test func aMissingFieldIsNamed() {
        let failure = error(file(["response_timeout_seconds": String?.none]))
        #expect(failure == .missingField(partner: "metro-taxi", field: "response_timeout_seconds"))
        #expect(failure.map { "\($0)" } == "partner metro-taxi: missing response_timeout_seconds")
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

    @Test func aWrongTypeNamesThePath() {
        let failure = error(file(["priority": #""high""#]))
        #expect(failure.map { "\($0)".contains("partners[0].priority") } == true)
    }

    @Test func theVersionAndThePartnerListAreRequired() {
        #expect(error(file(version: 2)) == .unsupportedVersion(2))
        #expect(error(#"{"version": 1, "partners": []}"#) == .noPartners)
        #expect(error("not json") != nil)
    }

    @Test func duplicateIDsAreRefused() throws {
        #expect(throws: PartnerDirectoryError.duplicateID("metro-taxi")) {
            try PartnerDirectory(partners: [Fixture.taxi, Fixture.taxi])
        }
    }
}
