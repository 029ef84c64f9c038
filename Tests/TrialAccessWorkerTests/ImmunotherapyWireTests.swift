import Foundation
import Testing
import TransitTestSupport
import TransitWire
import TrialAccess

@testable import TrialAccessWorker

/// The immunotherapy criteria and facts are catalogue and event data: they survive protobuf
/// binary and proto3 JSON, and map to the domain values the evaluator uses.
@Suite("immunotherapy criteria on the wire")
struct ImmunotherapyWireTests {
    static let now: Int64 = 1_767_312_000_000

    static var trial: TransitWire.TrialDefinition {
        var trial = Fixture.catalogRecord(capacityA: 2, updatedAt: now)
        trial.criteria = ImmunoWire.everyCriterion
        return trial
    }

    @Test("a catalogue entry with every new criterion: binary -> proto3 JSON -> back, equal")
    func catalogueRoundTrip() throws {
        let original = Self.trial
        let fromBinary = try TransitWire.TrialDefinition(wireBytes: original.wireBytes())
        #expect(fromBinary == original)
        let json = fromBinary.jsonString()
        for key in [
            "\"sexes\"", "\"histologyCodes\"", "\"excludedHistologyCodes\"", "\"pdL1Requirements\"",
            "\"microsatelliteRequirement\":\"MICROSATELLITE_REQUIREMENT_MSI_HIGH_OR_DMMR\"", "\"tmbRequirement\"",
            "\"priorTherapy\"", "\"labRequirements\"", "\"measurableDisease\":\"RESPONSE_CRITERIA_RECIST_1_1\"",
            "\"immunotherapyExclusions\"", "\"maxPriorLines\":2", "\"maxUlnMultiple\":2.5",
        ] {
            #expect(json.contains(key), "\(key) not in \(json)")
        }
        let fromJSON = try TransitWire.TrialDefinition(jsonString: json)
        #expect(fromJSON == original)
        #expect(fromJSON.wireBytes() == original.wireBytes())
    }

    @Test("the entry maps to the domain criteria, and the catalogue file format reads the same JSON")
    func catalogueMapsToDomain() throws {
        let domain = try Self.trial.domain()
        let criteria = domain.criteria
        #expect(criteria.sexes == [.female, .male])
        #expect(criteria.histologyCodes == ["8140", "807", "8046", "8012"])
        #expect(criteria.excludedHistologyCodes == ["8041", "8042", "8043", "8044", "8045"])
        #expect(
            criteria.pdl1Requirements == [
                TrialAccess.PDL1Requirement(
                    scoreType: .tps, comparison: .greaterOrEqual, threshold: 50, assays: ["22C3", "SP263"])
            ])
        #expect(criteria.microsatelliteRequirement == .msiHighOrDeficientMMR)
        #expect(
            criteria.tmbRequirement
                == TrialAccess.TMBRequirement(comparison: .greaterOrEqual, thresholdMutationsPerMb: 10))
        #expect(
            criteria.priorTherapy
                == TrialAccess.PriorTherapyRequirement(
                    minPriorLines: 1, maxPriorLines: 2, excludedAgents: [.atc("L01FF")], requiredAgents: [.atc("L01XA")]
                ))
        #expect(criteria.labRequirements.count == 6)
        #expect(
            criteria.labRequirements[0]
                == TrialAccess.LabRequirement(code: "ANC", unit: "10*9/L", min: 1.5, maxAgeDays: 14))
        #expect(
            criteria.labRequirements[3] == TrialAccess.LabRequirement(code: "AST", maxULNMultiple: 2.5, maxAgeDays: 14))
        #expect(
            criteria.labRequirements[5]
                == TrialAccess.LabRequirement(code: "TBILI", unit: "mg/dL", max: 3, maxULNMultiple: 1.5, maxAgeDays: 28)
        )
        #expect(criteria.measurableDisease == .recist11)
        #expect(criteria.immunotherapyExclusions == .usual)
        #expect(TrialAccess.TrialCatalog.validate(domain).isEmpty)

        // The catalogue file holds the same proto3 JSON.
        let file = "{\"trials\": [\(Self.trial.jsonString())]}"
        let loaded = try TrialAccess.TrialCatalog.load(protoJSON: Array(file.utf8))
        #expect(loaded.trial(id: domain.trialID) == domain)
    }

    @Test("an unspecified enum inside a criterion is refused naming the field, never read as no criterion")
    func unspecifiedCriterionEnum() throws {
        var trial = Self.trial
        trial.criteria?.pdL1Requirements[0].scoreType = .unspecified
        #expect(
            Self.mappingError(trial)?.description
                == "criteria.pd_l1_requirements[0].score_type is unspecified or an unknown value")
        trial = Self.trial
        trial.criteria?.measurableDisease = TransitWire.ResponseCriteria(rawValue: 9)
        #expect(Self.mappingError(trial)?.field == "criteria.measurable_disease")
        trial = Self.trial
        trial.criteria?.sexes = [.female, .unspecified]
        #expect(Self.mappingError(trial)?.field == "criteria.sexes[1]")
    }

    static func mappingError(_ trial: TransitWire.TrialDefinition) -> WireMappingError? {
        do {
            _ = try trial.domain()
            return nil
        } catch {
            return error
        }
    }

    @Test("a referral with every new fact: binary -> proto3 JSON -> back, equal, and mapped to the domain")
    func referralRoundTripAndMapping() throws {
        let original = ImmunoWire.meetingFacts(Fixture.referred(), now: Self.now)
        let fromBinary = try PatientReferred(wireBytes: original.wireBytes())
        #expect(fromBinary == original)
        let fromJSON = try PatientReferred(jsonString: fromBinary.jsonString())
        #expect(fromJSON == original)

        let referral = fromJSON.referral
        #expect(referral.sex == .female)
        #expect(referral.histologyCode == "8140/3")
        #expect(
            referral.pdl1Results == [
                TrialAccess.PDL1Result(
                    scoreType: .tps, value: 62, assay: "22C3", measuredAt: Self.now - 20 * ImmunoWire.day)
            ])
        #expect(referral.microsatelliteStatus == .high)
        #expect(referral.mismatchRepairStatus == .deficient)
        #expect(referral.tmb?.mutationsPerMb == 14)
        #expect(referral.treatmentHistory == TrialAccess.TreatmentHistory(priorLines: 0))
        #expect(referral.labResults.map(\.code) == ["ANC", "PLT", "CRCL", "AST", "ALT", "TBILI"])
        #expect(referral.labResults[3].upperLimitOfNormal == 40)
        #expect(referral.labResults[0].upperLimitOfNormal == nil)
        #expect(
            referral.diseaseAssessment
                == TrialAccess.DiseaseAssessment(
                    criteria: .recist11, measurable: true, assessedAt: Self.now - 9 * ImmunoWire.day))
        #expect(referral.immunotherapyRiskFactors == .allAbsent)

        // Not sent = not known.
        let bare = Fixture.referred().referral
        #expect(
            bare.sex == nil && bare.histologyCode == nil && bare.treatmentHistory == nil
                && bare.diseaseAssessment == nil)
        #expect(bare.immunotherapyRiskFactors == TrialAccess.ImmunotherapyRiskFactors())
    }

    @Test("samples/catalog-es.json reads the same through the generated proto3 JSON and the catalogue loader")
    func spanishSampleThroughTheWire() throws {
        let data = try Data(
            contentsOf: URL(fileURLWithPath: TestEnvironment.repositoryRoot + "/samples/catalog-es.json"))
        let loaded = try TrialAccess.TrialCatalog.load(protoJSON: Array(data))
        let file = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let trials = try #require(file["trials"] as? [Any])
        #expect(trials.count == loaded.trials.count)
        for element in trials {
            let json = try JSONSerialization.data(withJSONObject: element)
            let wire = try TransitWire.TrialDefinition(jsonUTF8: json)
            let domain = try wire.domain()
            #expect(loaded.trial(id: domain.trialID) == domain, "\(domain.trialID)")
            #expect(domain.criteria.immunotherapyExclusions == .usual)
        }
    }
}
