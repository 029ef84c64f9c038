import Foundation
import Testing
import TransitTestSupport
import TransitWire
import TrialAccess
import TrialAccessWorker

/// The catalogue file (`--catalog`) is read by the generated proto3 JSON decoder of
/// `trialtransit.v1.TrialCatalogFile`: a file accepts what `trial.catalog.v1` accepts.
@Suite("Catalogue file")
struct CatalogFileTests {
    static let samplePath = TestEnvironment.repositoryRoot + "/samples/catalog.json"

    static func catalogError(_ json: String) -> CatalogError? {
        do {
            _ = try TrialCatalog.load(protoJSON: Array(json.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test("the sample catalogue loads and fits its purpose: small capacities, one trial closed")
    func sampleCatalogue() throws {
        let catalog = try TrialCatalog.load(file: Self.samplePath)
        #expect((4...6).contains(catalog.trials.count))
        #expect(catalog.trials.contains { $0.recruitingStatus == .closedToAccrual })
        for trial in catalog.trials {
            #expect((2...4).contains(trial.sites.count), "\(trial.trialID)")
            #expect(trial.sites.allSatisfy { (2...5).contains($0.screeningCapacity) }, "\(trial.trialID)")
            #expect(TrialCatalog.validate(trial).isEmpty)
        }
        #expect(catalog.trial(id: "NCT09900101")?.site(id: "nl-ams-01")?.location.point.latitude == 52.294)
    }

    @Test("writing and loading again gives the same catalogue")
    func roundTrip() throws {
        let catalog = try TrialCatalog.load(file: Self.samplePath)
        #expect(try TrialCatalog.load(protoJSON: Array(catalog.protoJSON().utf8)) == catalog)
    }

    @Test("proto field names and enum numbers load as on the topic (docs/WIRE.md §8)")
    func protoFieldNamesAndEnumNumbers() throws {
        let json = """
            {"trials": [{"trial_id": "NCT1", "title": "T", "phase": 6, "recruiting_status": 1,
              "updated_at": "1767225600000",
              "criteria": {"condition_codes": ["C34"], "min_age_years": 18, "max_ecog": 0,
                "required_biomarkers": [{"code": "EGFR", "comparison": 1, "unit": "bool"}]},
              "sites": [{"site_id": "S", "name": "Site", "screening_capacity": 2, "recruiting": true,
                "location": {"point": {"latitude": 52.1, "longitude": 4.9}, "address_text": "Road 1"}}]}]}
            """
        let trial = try #require(try TrialCatalog.load(protoJSON: Array(json.utf8)).trial(id: "NCT1"))
        #expect(trial.phase == .phase3)
        #expect(trial.recruitingStatus == .recruiting)
        #expect(trial.updatedAt == 1_767_225_600_000)
        #expect(trial.criteria.conditionCodes == ["C34"] && trial.criteria.minAgeYears == 18 && trial.criteria.maxECOG == 0)
        #expect(trial.criteria.requiredBiomarkers.first?.comparison == TrialAccess.Comparison(protoNumber: 1))
        #expect(trial.sites.first?.screeningCapacity == 2 && trial.sites.first?.location.addressText == "Road 1")
        // The same document as a topic record decodes to the same definition.
        let record = try TransitWire.TrialDefinition(jsonString: String(json.dropFirst(12).dropLast(2)))
        #expect(record.trialId == "NCT1" && record.phase.rawValue == 6)
    }

    @Test("proto3 JSON conventions: absent defaults, int64 as string, age 0 = no bound, ECOG 0 kept")
    func protoJSONDefaults() throws {
        let json = """
            {"trials": [{"trialId": "NCT1", "title": "T", "recruitingStatus": "RECRUITING_STATUS_RECRUITING",
              "updatedAt": "1767225600000",
              "criteria": {"minAgeYears": 0, "maxEcog": 0,
                "requiredBiomarkers": [{"code": "EGFR", "comparison": "COMPARISON_EQUAL", "unit": "bool"}]},
              "sites": [{"siteId": "S", "location": {"point": {"latitude": 52.1}}}]}]}
            """
        let trial = try #require(try TrialCatalog.load(protoJSON: Array(json.utf8)).trial(id: "NCT1"))
        #expect(trial.updatedAt == 1_767_225_600_000)
        #expect(trial.phase == nil)
        #expect(trial.criteria.minAgeYears == nil)
        #expect(trial.criteria.maxECOG == 0)
        #expect(trial.criteria.requiredBiomarkers.first?.threshold == 0)
        #expect(trial.sites.first?.location.point == GeoPoint(latitude: 52.1, longitude: 0))
        #expect(trial.sites.first?.recruiting == false)
        #expect(trial.sites.first?.screeningCapacity == 0)
    }

    @Test("a bad file is one error naming the file and the field")
    func badFileNamesFileAndField() throws {
        let directory = FileManager.default.temporaryDirectory.path
        let path = directory + "/catalog-\(UUID().uuidString).json"
        try #"{"trials": [{"trialId": "NCT1", "title": "T", "phase": "PHASE_3", "recruitingStatus": 1}]}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: CatalogFileError.self) { try TrialCatalog.load(file: path) }
        let text = error?.description ?? ""
        #expect(text.hasPrefix("catalogue file \(path): catalogue JSON is malformed:"), "\(text)")
        #expect(text.contains("phase") && text.contains("PHASE_3"), "\(text)")
        #expect(!text.contains("\n"), "\(text)")

        guard case .malformedJSON(let missing) = Self.catalogError(#"{"trials": [{"trialId": "NCT1", "title": "T"}]}"#)
        else {
            Issue.record("expected malformedJSON")
            return
        }
        #expect(missing.contains("trials[0].recruiting_status"), "\(missing)")
        guard case .malformedJSON = Self.catalogError(#"{"trails": []}"#) else {
            Issue.record("an unknown field is malformed")
            return
        }
        let unreadable = #expect(throws: CatalogFileError.self) { try TrialCatalog.load(file: directory + "/no-such.json") }
        #expect(unreadable?.description == "catalogue file \(directory)/no-such.json: cannot be read")
    }

    @Test("validation lists every broken rule with trial and field")
    func validation() {
        let json = """
            {"trials": [
              {"trialId": "NCT1", "title": " ", "recruitingStatus": "RECRUITING_STATUS_RECRUITING",
               "criteria": {"conditionCodes": ["c34"], "minAgeYears": 70, "maxAgeYears": 18, "maxEcog": 6,
                 "requiredBiomarkers": [
                   {"code": "PDL1_TPS", "comparison": "COMPARISON_GREATER", "threshold": 1, "unit": ""}]},
               "sites": [
                 {"siteId": "S", "location": {"point": {"latitude": 91, "longitude": 4}}, "screeningCapacity": 2},
                 {"siteId": "S", "location": {"point": {"latitude": 50, "longitude": 4}}, "screeningCapacity": 1}]},
              {"trialId": "NCT1", "title": "Again", "recruitingStatus": "RECRUITING_STATUS_CLOSED_TO_ACCRUAL"}
            ]}
            """
        guard case .invalid(let issues) = Self.catalogError(json) else {
            Issue.record("expected invalid")
            return
        }
        let fields = Set(issues.map(\.field))
        #expect(
            fields.isSuperset(of: [
                "title", "criteria.conditionCodes[0]", "criteria.minAgeYears", "criteria.maxEcog",
                "criteria.requiredBiomarkers[0].unit", "sites[0].location.point", "sites[1].siteId", "trialId",
            ]), "\(fields)")
        #expect(issues.allSatisfy { $0.trialID == "NCT1" })
    }
}
