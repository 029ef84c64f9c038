import TransitWire

/// Wire forms of an immunotherapy trial's criteria and of a referral that meets them.
enum ImmunoWire {
    static let day: Int64 = 86_400_000
    static let atc = "http://www.whocc.no/atc"

    static func atcCode(_ code: String) -> CodedConcept { CodedConcept(system: atc, code: code) }

    static func lab(
        _ code: String, unit: String = "", min: Double? = nil, max: Double? = nil, uln: Double = 0, days: UInt32 = 14
    ) -> LabRequirement {
        LabRequirement(code: code, unit: unit, min: min, max: max, maxUlnMultiple: uln, maxAgeDays: days)
    }

    /// Every immunotherapy criterion set (the catalogue fields 9-18), on top of lung cancer,
    /// age >= 18 and ECOG <= 1.
    static var everyCriterion: EligibilityCriteria {
        var criteria = EligibilityCriteria(conditionCodes: ["C34"], minAgeYears: 18, maxEcog: 1)
        criteria.sexes = [.female, .male]
        criteria.histologyCodes = ["8140", "807", "8046", "8012"]
        criteria.excludedHistologyCodes = ["8041", "8042", "8043", "8044", "8045"]
        criteria.pdL1Requirements = [
            PdL1Requirement(scoreType: .tps, comparison: .greaterOrEqual, threshold: 50, assays: ["22C3", "SP263"])
        ]
        criteria.microsatelliteRequirement = .msiHighOrDmmr
        criteria.tmbRequirement = TmbRequirement(comparison: .greaterOrEqual, thresholdMutationsPerMb: 10)
        criteria.priorTherapy = PriorTherapyRequirement(
            minPriorLines: 1, maxPriorLines: 2, excludedAgents: [atcCode("L01FF")], requiredAgents: [atcCode("L01XA")])
        criteria.labRequirements = [
            lab("ANC", unit: "10*9/L", min: 1.5), lab("PLT", unit: "10*9/L", min: 100),
            lab("CRCL", unit: "mL/min", min: 50), lab("AST", uln: 2.5), lab("ALT", uln: 2.5),
            lab("TBILI", unit: "mg/dL", max: 3, uln: 1.5, days: 28),
        ]
        criteria.measurableDisease = .recist1_1
        criteria.immunotherapyExclusions = ImmunotherapyExclusions(
            autoimmuneTreatmentLookbackDays: 730, maxPrednisoneEquivalentMgPerDay: 10, excludePriorPneumonitis: true,
            excludeActiveCnsMetastases: true, excludeOrganTransplant: true)
        return criteria
    }

    /// First-line anti-PD-1 in NSCLC: PD-L1 TPS >= 50 % (22C3), ANC and platelets within 14 days,
    /// no prior anti-PD-1/PD-L1, the usual exclusions.
    static var firstLineNSCLC: EligibilityCriteria {
        var criteria = EligibilityCriteria(conditionCodes: ["C34"], minAgeYears: 18, maxEcog: 1)
        criteria.excludedHistologyCodes = ["8041"]
        criteria.pdL1Requirements = [
            PdL1Requirement(scoreType: .tps, comparison: .greaterOrEqual, threshold: 50, assays: ["22C3"])
        ]
        criteria.priorTherapy = PriorTherapyRequirement(maxPriorLines: 0, excludedAgents: [atcCode("L01FF")])
        criteria.labRequirements = [lab("ANC", unit: "10*9/L", min: 1.5), lab("PLT", unit: "10*9/L", min: 100)]
        criteria.measurableDisease = .recist1_1
        criteria.immunotherapyExclusions = ImmunotherapyExclusions(
            autoimmuneTreatmentLookbackDays: 730, maxPrednisoneEquivalentMgPerDay: 10, excludePriorPneumonitis: true,
            excludeActiveCnsMetastases: true, excludeOrganTransplant: true)
        return criteria
    }

    /// Adds facts meeting ``firstLineNSCLC`` (and ``everyCriterion`` but for the prior lines) at `now`.
    static func meetingFacts(_ referral: PatientReferred, now: Int64, tps: Double = 62) -> PatientReferred {
        var referral = referral
        referral.sex = .female
        referral.histologyCode = "8140/3"
        referral.pdL1Results = [PdL1Result(scoreType: .tps, value: tps, assay: "22C3", measuredAt: now - 20 * day)]
        referral.microsatelliteStatus = .high
        referral.mismatchRepairStatus = .deficient
        referral.tmb = TmbResult(mutationsPerMb: 14, assay: "FoundationOne CDx", measuredAt: now - 20 * day)
        referral.treatmentHistory = TreatmentHistory(priorLines: 0)
        referral.labResults = [
            LabResult(code: "ANC", value: 3.1, unit: "10*9/L", measuredAt: now - 2 * day),
            LabResult(code: "PLT", value: 240, unit: "10*9/L", measuredAt: now - 2 * day),
            LabResult(code: "CRCL", value: 81, unit: "mL/min", measuredAt: now - 2 * day),
            LabResult(code: "AST", value: 28, unit: "U/L", upperLimitOfNormal: 40, measuredAt: now - 2 * day),
            LabResult(code: "ALT", value: 22, unit: "U/L", upperLimitOfNormal: 41, measuredAt: now - 2 * day),
            LabResult(code: "TBILI", value: 0.7, unit: "mg/dL", upperLimitOfNormal: 1.2, measuredAt: now - 2 * day),
        ]
        referral.diseaseAssessment = DiseaseAssessment(
            criteria: .recist1_1, measurable: true, assessedAt: now - 9 * day)
        referral.immunotherapyRiskFactors = ImmunotherapyRiskFactors(
            autoimmuneDiseaseSystemicTreatment: .absent, prednisoneEquivalentMgPerDay: 0, priorPneumonitis: .absent,
            activeCnsMetastases: .absent, organTransplant: .absent)
        return referral
    }
}
