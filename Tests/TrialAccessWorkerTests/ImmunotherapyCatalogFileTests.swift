import Foundation
import Testing
import TransitTestSupport
import TrialAccess
import TrialAccessWorker

/// The immunotherapy criteria in the catalogue file: read through the generated proto3 JSON,
/// written back the same, and validated with every broken rule listed.
@Suite("Immunotherapy criteria in the catalogue file")
struct ImmunotherapyCatalogFileTests {
    @Test("the Spanish catalogue, with every kind of immunotherapy criterion, is written and read back equal")
    func fileRoundTrip() throws {
        let catalog = try TrialCatalog.load(file: TestEnvironment.repositoryRoot + "/samples/catalog-es.json")
        let text = catalog.protoJSON()
        for key in ["\"pdL1Requirements\"", "\"labRequirements\"", "\"immunotherapyExclusions\"", "\"priorTherapy\""] {
            #expect(text.contains(key), "\(key)")
        }
        #expect(try TrialCatalog.load(protoJSON: Array(text.utf8)) == catalog)
    }

    @Test("a catalogue without them is written without immunotherapy keys")
    func plainTrialUnchanged() throws {
        let catalog = try TrialCatalog.load(file: CatalogFileTests.samplePath)
        let text = catalog.protoJSON()
        for key in [
            "\"sexes\"", "\"histologyCodes\"", "\"excludedHistologyCodes\"", "\"pdL1Requirements\"",
            "\"microsatelliteRequirement\"", "\"tmbRequirement\"", "\"priorTherapy\"", "\"labRequirements\"",
            "\"measurableDisease\"", "\"immunotherapyExclusions\"",
        ] {
            #expect(!text.contains(key), "\(key)")
        }
    }

    @Test("validation lists every broken immunotherapy rule with its field")
    func validation() {
        let json = """
            {"trials": [{"trialId": "NCT1", "title": "T", "recruitingStatus": "RECRUITING_STATUS_RECRUITING",
              "criteria": {
                "histologyCodes": ["8140/3"], "excludedHistologyCodes": ["small cell"],
                "pdL1Requirements": [{"scoreType": "PD_L1_SCORE_TYPE_TPS", "comparison": "COMPARISON_GREATER",
                  "threshold": -1, "assays": [" "]}],
                "tmbRequirement": {"comparison": "COMPARISON_GREATER_OR_EQUAL", "thresholdMutationsPerMb": -10},
                "priorTherapy": {"minPriorLines": 3, "maxPriorLines": 1,
                  "excludedAgents": [{"code": "L01FF"}], "requiredAgents": [{"system": "http://www.whocc.no/atc", "code": "l01xa"}]},
                "labRequirements": [{"code": "ANC", "min": 1.5}, {"code": "PLT"}, {"code": "CRCL", "unit": "mL/min", "min": 60, "max": 50},
                  {"code": "AST", "maxUlnMultiple": -2}],
                "immunotherapyExclusions": {"maxPrednisoneEquivalentMgPerDay": -5}},
              "sites": [{"siteId": "S", "location": {"point": {"latitude": 40.4, "longitude": -3.7}}, "screeningCapacity": 1}]}]}
            """
        guard case .invalid(let issues) = CatalogFileTests.catalogError(json) else {
            Issue.record("expected invalid")
            return
        }
        #expect(
            Set(issues.map(\.field)) == [
                "criteria.histologyCodes[0]", "criteria.excludedHistologyCodes[0]",
                "criteria.pdL1Requirements[0].threshold",
                "criteria.pdL1Requirements[0].assays[0]", "criteria.tmbRequirement.thresholdMutationsPerMb",
                "criteria.priorTherapy.minPriorLines", "criteria.priorTherapy.excludedAgents[0].system",
                "criteria.priorTherapy.requiredAgents[0].code", "criteria.labRequirements[0].unit",
                "criteria.labRequirements[1]",
                "criteria.labRequirements[2].min", "criteria.labRequirements[3].maxUlnMultiple",
                "criteria.immunotherapyExclusions.maxPrednisoneEquivalentMgPerDay",
            ])
    }

    @Test("an unknown score type in the file is refused naming the field and the value")
    func unknownEnum() {
        let json = """
            {"trials": [{"trialId": "NCT1", "title": "T", "recruitingStatus": "RECRUITING_STATUS_RECRUITING",
              "criteria": {"pdL1Requirements": [{"scoreType": "TPS", "comparison": "COMPARISON_GREATER"}]}}]}
            """
        guard case .malformedJSON(let detail) = CatalogFileTests.catalogError(json) else {
            Issue.record("expected malformedJSON")
            return
        }
        #expect(
            detail.contains("PdL1Requirement.scoreType") && detail.contains("\"TPS\""),
            "\(detail)")
    }
}
