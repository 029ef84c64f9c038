import TrialAccess

/// A first-line anti-PD-1 NSCLC trial stated as its protocol states it, and a referral that meets
/// every criterion of it at ``Fixture/t0``.
enum Immuno {
    static let day = Millis.day

    /// Non-small-cell histologies in, small-cell out; PD-L1 TPS >= 50 % by 22C3; at most one prior
    /// line and no prior anti-PD-1/PD-L1 (ATC L01FF); the usual labs within 14 days; measurable
    /// disease by RECIST 1.1; the usual immunotherapy exclusions.
    static let criteria: EligibilityCriteria = {
        var criteria = Fixture.criteria
        criteria.histologyCodes = ["8140", "807", "8046", "8012"]
        criteria.excludedHistologyCodes = ["8041", "8042", "8043", "8044", "8045"]
        criteria.pdl1Requirements = [
            PDL1Requirement(scoreType: .tps, comparison: .greaterOrEqual, threshold: 50, assays: ["22C3"])
        ]
        criteria.priorTherapy = PriorTherapyRequirement(maxPriorLines: 1, excludedAgents: [.atc("L01FF")])
        criteria.labRequirements = labs
        criteria.measurableDisease = .recist11
        criteria.immunotherapyExclusions = .usual
        return criteria
    }()

    static let labs = [
        LabRequirement(code: "ANC", unit: "10*9/L", min: 1.5, maxAgeDays: 14),
        LabRequirement(code: "PLT", unit: "10*9/L", min: 100, maxAgeDays: 14),
        LabRequirement(code: "CRCL", unit: "mL/min", min: 50, maxAgeDays: 14),
        LabRequirement(code: "AST", maxULNMultiple: 2.5, maxAgeDays: 14),
        LabRequirement(code: "ALT", maxULNMultiple: 2.5, maxAgeDays: 14),
        LabRequirement(code: "TBILI", maxULNMultiple: 1.5, maxAgeDays: 14),
    ]

    static func lab(_ code: String, _ value: Double, _ unit: String, uln: Double? = nil, daysAgo: Int64 = 3)
        -> LabResult
    {
        LabResult(code: code, value: value, unit: unit, upperLimitOfNormal: uln, measuredAt: Fixture.t0 - daysAgo * day)
    }

    static let passingLabs = [
        lab("ANC", 3.2, "10*9/L"), lab("PLT", 210, "10*9/L"), lab("CRCL", 78, "mL/min"),
        lab("AST", 30, "U/L", uln: 40), lab("ALT", 25, "U/L", uln: 41), lab("TBILI", 0.8, "mg/dL", uln: 1.2),
    ]

    static let trial = Fixture.trial(criteria: criteria, sites: [Fixture.site("A", Place.amsterdam, capacity: 2)])

    /// Meets ``criteria``: female, adenocarcinoma, TPS 60 % by 22C3, treatment-naive, labs fine,
    /// measurable disease, none of the exclusions.
    static func referral() -> PatientReferral {
        var referral = Fixture.referral()
        referral.sex = .female
        referral.histologyCode = "8140/3"
        referral.pdl1Results = [
            PDL1Result(scoreType: .tps, value: 60, assay: "22C3", measuredAt: Fixture.t0 - 20 * day)
        ]
        referral.treatmentHistory = TreatmentHistory(priorLines: 0)
        referral.labResults = passingLabs
        referral.diseaseAssessment = DiseaseAssessment(
            criteria: .recist11, measurable: true, assessedAt: Fixture.t0 - 10 * day)
        referral.immunotherapyRiskFactors = .allAbsent
        return referral
    }

    /// Replaces every result of `result.code` by `result`.
    static func replacingLab(_ referral: inout PatientReferral, with result: LabResult) {
        referral.labResults.removeAll { $0.code == result.code }
        referral.labResults.append(result)
    }
}
