import Testing
import TrialAccess

/// One change to the immunotherapy trial and/or the passing referral, and the criterion codes
/// that must then fail and be missing (both empty: the referral still passes).
struct ImmunoCase: Sendable, CustomTestStringConvertible {
    let name: String
    var trial: @Sendable (inout EligibilityCriteria) -> Void = { _ in }
    let patient: @Sendable (inout PatientReferral) -> Void
    var failed: [String] = []
    var missing: [String] = []
    var testDescription: String { name }

    static let sex: [ImmunoCase] = [
        .init(name: "sex allowed passes", trial: { $0.sexes = [.female] }, patient: { $0.sex = .female }),
        .init(
            name: "sex not allowed fails SEX", trial: { $0.sexes = [.female] }, patient: { $0.sex = .male },
            failed: ["SEX"]),
        .init(
            name: "sex missing needs review", trial: { $0.sexes = [.female] }, patient: { $0.sex = nil },
            missing: ["SEX"]),
        .init(name: "no sex restriction ignores a missing sex", patient: { $0.sex = nil }),
    ]

    static let histology: [ImmunoCase] = [
        .init(name: "squamous (807x) passes by prefix", patient: { $0.histologyCode = "8070/3" }),
        .init(name: "M- prefix and 5-digit forms are read", patient: { $0.histologyCode = "M-81403" }),
        .init(
            name: "small cell fails HISTOLOGY and EXCLUDED_HISTOLOGY", patient: { $0.histologyCode = "8041/3" },
            failed: ["HISTOLOGY", "EXCLUDED_HISTOLOGY:8041"]),
        .init(name: "histology missing needs review", patient: { $0.histologyCode = nil }, missing: ["HISTOLOGY"]),
        .init(
            name: "free text is not a morphology", patient: { $0.histologyCode = "adenocarcinoma" },
            missing: ["HISTOLOGY"]),
    ]

    static let pdl1: [ImmunoCase] = [
        .init(
            name: "TPS at threshold passes",
            patient: { $0.pdl1Results = [PDL1Result(scoreType: .tps, value: 50, assay: "22c3")] }),
        .init(
            name: "TPS below threshold fails PDL1:TPS",
            patient: { $0.pdl1Results = [PDL1Result(scoreType: .tps, value: 49, assay: "22C3")] }, failed: ["PDL1:TPS"]),
        .init(
            name: "newest PD-L1 result counts",
            patient: {
                $0.pdl1Results = [
                    PDL1Result(scoreType: .tps, value: 90, assay: "22C3", measuredAt: 1_000),
                    PDL1Result(scoreType: .tps, value: 5, assay: "22C3", measuredAt: 2_000),
                ]
            }, failed: ["PDL1:TPS"]),
        .init(name: "no PD-L1 result needs review", patient: { $0.pdl1Results = [] }, missing: ["PDL1:TPS"]),
        .init(
            name: "a result of another assay needs review",
            patient: { $0.pdl1Results = [PDL1Result(scoreType: .tps, value: 80, assay: "SP263")] },
            missing: ["PDL1:TPS"]),
        .init(
            name: "a CPS result does not answer a TPS requirement",
            patient: { $0.pdl1Results = [PDL1Result(scoreType: .cps, value: 80, assay: "22C3")] }, missing: ["PDL1:TPS"]
        ),
        .init(
            name: "CPS requirement fails by its own name",
            trial: {
                $0.pdl1Requirements = [PDL1Requirement(scoreType: .cps, comparison: .greaterOrEqual, threshold: 10)]
            },
            patient: { $0.pdl1Results = [PDL1Result(scoreType: .cps, value: 9)] }, failed: ["PDL1:CPS"]),
    ]

    static let microsatellite: [ImmunoCase] = [
        .init(
            name: "MSI-H passes an MSI-H/dMMR requirement",
            trial: { $0.microsatelliteRequirement = .msiHighOrDeficientMMR },
            patient: { $0.microsatelliteStatus = .high }),
        .init(
            name: "dMMR passes even with MSS by PCR", trial: { $0.microsatelliteRequirement = .msiHighOrDeficientMMR },
            patient: {
                $0.microsatelliteStatus = .stable
                $0.mismatchRepairStatus = .deficient
            }),
        .init(
            name: "MSS fails MSI_MMR", trial: { $0.microsatelliteRequirement = .msiHighOrDeficientMMR },
            patient: { $0.microsatelliteStatus = .stable }, failed: ["MSI_MMR"]),
        .init(
            name: "untested needs review", trial: { $0.microsatelliteRequirement = .msiHighOrDeficientMMR },
            patient: { _ in }, missing: ["MSI_MMR"]),
        .init(
            name: "dMMR fails a stable/pMMR requirement",
            trial: { $0.microsatelliteRequirement = .stableAndProficientMMR },
            patient: { $0.mismatchRepairStatus = .deficient }, failed: ["MSI_MMR"]),
    ]

    static let tmb: [ImmunoCase] = [
        .init(
            name: "TMB-high passes",
            trial: { $0.tmbRequirement = TMBRequirement(comparison: .greaterOrEqual, thresholdMutationsPerMb: 10) },
            patient: { $0.tmb = TMBResult(mutationsPerMb: 12.5) }),
        .init(
            name: "TMB below threshold fails TMB",
            trial: { $0.tmbRequirement = TMBRequirement(comparison: .greaterOrEqual, thresholdMutationsPerMb: 10) },
            patient: { $0.tmb = TMBResult(mutationsPerMb: 8) }, failed: ["TMB"]),
        .init(
            name: "TMB missing needs review",
            trial: { $0.tmbRequirement = TMBRequirement(comparison: .greaterOrEqual, thresholdMutationsPerMb: 10) },
            patient: { $0.tmb = nil }, missing: ["TMB"]),
    ]

    static let priorTherapy: [ImmunoCase] = [
        .init(
            name: "one prior platinum line passes",
            patient: { $0.treatmentHistory = TreatmentHistory(priorLines: 1, priorAgents: [.atc("L01XA02")]) }),
        .init(
            name: "two prior lines fail PRIOR_LINES_MAX",
            patient: { $0.treatmentHistory = TreatmentHistory(priorLines: 2, priorAgents: [.atc("L01XA02")]) },
            failed: ["PRIOR_LINES_MAX"]),
        .init(
            name: "prior nivolumab fails PRIOR_AGENT:L01FF (no prior anti-PD-1/PD-L1)",
            patient: { $0.treatmentHistory = TreatmentHistory(priorLines: 1, priorAgents: [.atc("L01FF01")]) },
            failed: ["PRIOR_AGENT:L01FF"]),
        .init(
            name: "unknown history needs review for each prior-therapy criterion",
            patient: { $0.treatmentHistory = nil },
            missing: ["PRIOR_LINES_MAX", "PRIOR_AGENT:L01FF"]),
        .init(
            name: "an agent coded in another system cannot be ruled out",
            patient: {
                $0.treatmentHistory = TreatmentHistory(
                    priorLines: 1,
                    priorAgents: [CodedConcept(system: "http://www.nlm.nih.gov/research/umls/rxnorm", code: "1597876")])
            }, missing: ["PRIOR_AGENT:L01FF"]),
        .init(
            name: "second line needs a first: PRIOR_LINES_MIN",
            trial: { $0.priorTherapy?.minPriorLines = 1 }, patient: { _ in }, failed: ["PRIOR_LINES_MIN"]),
        .init(
            name: "required prior platinum missing fails REQUIRED_PRIOR_AGENT:L01XA",
            trial: { $0.priorTherapy?.requiredAgents = [.atc("L01XA")] }, patient: { _ in },
            failed: ["REQUIRED_PRIOR_AGENT:L01XA"]),
        .init(
            name: "required prior platinum received passes",
            trial: { $0.priorTherapy?.requiredAgents = [.atc("L01XA")] },
            patient: { $0.treatmentHistory = TreatmentHistory(priorLines: 1, priorAgents: [.atc("l01xa01")]) }),
    ]

    static let labs: [ImmunoCase] = [
        .init(
            name: "ANC at the minimum passes",
            patient: { Immuno.replacingLab(&$0, with: Immuno.lab("ANC", 1.5, "10*9/L")) }),
        .init(
            name: "low ANC fails LAB:ANC",
            patient: { Immuno.replacingLab(&$0, with: Immuno.lab("ANC", 1.2, "10*9/L")) },
            failed: ["LAB:ANC"]),
        .init(
            name: "no ANC needs review", patient: { $0.labResults.removeAll { $0.code == "ANC" } }, missing: ["LAB:ANC"]
        ),
        .init(
            name: "an ANC older than 14 days needs review",
            patient: { Immuno.replacingLab(&$0, with: Immuno.lab("ANC", 3, "10*9/L", daysAgo: 15)) },
            missing: ["LAB:ANC"]),
        .init(
            name: "an undated ANC needs review",
            patient: { Immuno.replacingLab(&$0, with: LabResult(code: "ANC", value: 3, unit: "10*9/L")) },
            missing: ["LAB:ANC"]),
        .init(
            name: "platelets in another unit need review",
            patient: { Immuno.replacingLab(&$0, with: Immuno.lab("PLT", 210, "10*3/uL")) }, missing: ["LAB:PLT"]),
        .init(
            name: "low creatinine clearance fails LAB:CRCL",
            patient: { Immuno.replacingLab(&$0, with: Immuno.lab("CRCL", 42, "mL/min")) }, failed: ["LAB:CRCL"]),
        .init(
            name: "AST above 2.5 x ULN fails LAB:AST",
            patient: { Immuno.replacingLab(&$0, with: Immuno.lab("AST", 101, "U/L", uln: 40)) }, failed: ["LAB:AST"]),
        .init(
            name: "ALT without an upper limit of normal needs review",
            patient: { Immuno.replacingLab(&$0, with: Immuno.lab("ALT", 25, "U/L")) }, missing: ["LAB:ALT"]),
        .init(
            name: "bilirubin above 1.5 x ULN fails LAB:TBILI",
            patient: { Immuno.replacingLab(&$0, with: Immuno.lab("TBILI", 1.9, "mg/dL", uln: 1.2)) },
            failed: ["LAB:TBILI"]),
        .init(
            name: "the newest lab result counts",
            patient: {
                $0.labResults.append(Immuno.lab("PLT", 60, "10*9/L", daysAgo: 1))
            }, failed: ["LAB:PLT"]),
    ]

    static let measurable: [ImmunoCase] = [
        .init(
            name: "no measurable disease fails MEASURABLE_DISEASE",
            patient: { $0.diseaseAssessment = DiseaseAssessment(criteria: .recist11, measurable: false) },
            failed: ["MEASURABLE_DISEASE"]),
        .init(
            name: "no assessment needs review", patient: { $0.diseaseAssessment = nil }, missing: ["MEASURABLE_DISEASE"]
        ),
        .init(
            name: "an assessment under other criteria needs review",
            patient: { $0.diseaseAssessment = DiseaseAssessment(criteria: .iRECIST, measurable: true) },
            missing: ["MEASURABLE_DISEASE"]),
    ]

    static let exclusions: [ImmunoCase] = [
        .init(
            name: "autoimmune disease treated a year ago fails AUTOIMMUNE_DISEASE",
            patient: {
                $0.immunotherapyRiskFactors.autoimmuneDiseaseSystemicTreatment = true
                $0.immunotherapyRiskFactors.autoimmuneSystemicTreatmentLastAt = Fixture.t0 - 365 * Immuno.day
            }, failed: ["AUTOIMMUNE_DISEASE"]),
        .init(
            name: "autoimmune disease last treated three years ago passes",
            patient: {
                $0.immunotherapyRiskFactors.autoimmuneDiseaseSystemicTreatment = true
                $0.immunotherapyRiskFactors.autoimmuneSystemicTreatmentLastAt = Fixture.t0 - 3 * 365 * Immuno.day
            }),
        .init(
            name: "autoimmune treatment of unknown date needs review",
            patient: { $0.immunotherapyRiskFactors.autoimmuneDiseaseSystemicTreatment = true },
            missing: ["AUTOIMMUNE_DISEASE"]),
        .init(
            name: "autoimmune history unknown needs review",
            patient: { $0.immunotherapyRiskFactors.autoimmuneDiseaseSystemicTreatment = nil },
            missing: ["AUTOIMMUNE_DISEASE"]),
        .init(
            name: "prednisone 10 mg/day passes (not above 10)",
            patient: { $0.immunotherapyRiskFactors.prednisoneEquivalentMgPerDay = 10 }),
        .init(
            name: "prednisone 20 mg/day fails CORTICOSTEROIDS",
            patient: { $0.immunotherapyRiskFactors.prednisoneEquivalentMgPerDay = 20 }, failed: ["CORTICOSTEROIDS"]),
        .init(
            name: "steroid dose unknown needs review",
            patient: { $0.immunotherapyRiskFactors.prednisoneEquivalentMgPerDay = nil }, missing: ["CORTICOSTEROIDS"]),
        .init(
            name: "prior pneumonitis fails PNEUMONITIS",
            patient: { $0.immunotherapyRiskFactors.priorPneumonitis = true },
            failed: ["PNEUMONITIS"]),
        .init(
            name: "pneumonitis history unknown needs review",
            patient: { $0.immunotherapyRiskFactors.priorPneumonitis = nil },
            missing: ["PNEUMONITIS"]),
        .init(
            name: "active CNS metastases fail ACTIVE_CNS_METASTASES",
            patient: { $0.immunotherapyRiskFactors.activeCNSMetastases = true }, failed: ["ACTIVE_CNS_METASTASES"]),
        .init(
            name: "CNS status unknown needs review", patient: { $0.immunotherapyRiskFactors.activeCNSMetastases = nil },
            missing: ["ACTIVE_CNS_METASTASES"]),
        .init(
            name: "organ transplant fails ORGAN_TRANSPLANT",
            patient: { $0.immunotherapyRiskFactors.organTransplant = true },
            failed: ["ORGAN_TRANSPLANT"]),
        .init(
            name: "transplant history unknown needs review",
            patient: { $0.immunotherapyRiskFactors.organTransplant = nil },
            missing: ["ORGAN_TRANSPLANT"]),
    ]

    static let all = sex + histology + pdl1 + microsatellite + tmb + priorTherapy + labs + measurable + exclusions
}

@Suite("Immunotherapy criteria")
struct ImmunotherapyCriteriaTests {
    @Test("the protocol's referral meets every criterion and gets a slot")
    func passingReferral() throws {
        var harness = try Harness([Immuno.trial])
        try harness.ok("p1", .patientReferred(Immuno.referral()))
        #expect(harness.state("p1") == .eligible)
        #expect(harness.enrollment("p1")?.unmetCriteria == [])
    }

    @Test("each criterion passes, fails by name, or needs review naming what is missing", arguments: ImmunoCase.all)
    func criterion(_ testCase: ImmunoCase) {
        var criteria = Immuno.criteria
        testCase.trial(&criteria)
        var referral = Immuno.referral()
        testCase.patient(&referral)
        let trial = Fixture.trial(criteria: criteria, sites: [Fixture.site("A", Place.amsterdam, capacity: 2)])
        let evaluation = EligibilityEvaluator.evaluate(referral, for: trial, now: Fixture.t0)
        #expect(evaluation.failed == testCase.failed)
        #expect(evaluation.missing == testCase.missing)
    }

    @Test("through the decider: a failure is ineligible with its code, a missing value needs review with its code")
    func decisions() throws {
        var harness = try Harness([Immuno.trial])
        var failing = Immuno.referral()
        failing.pdl1Results = [PDL1Result(scoreType: .tps, value: 30, assay: "22C3")]
        let outcome = try harness.ok("p1", .patientReferred(failing))
        #expect(harness.state("p1") == .ineligible)
        #expect(outcome.statusChanges.last?.reasonCodes == ["PDL1:TPS"])

        var missing = Immuno.referral()
        missing.labResults.removeAll { $0.code == "CRCL" }
        missing.immunotherapyRiskFactors.organTransplant = nil
        let review = try harness.ok("p2", .patientReferred(missing))
        #expect(harness.state("p2") == .needsReview)
        #expect(review.statusChanges.last?.reasonCodes == ["LAB:CRCL", "ORGAN_TRANSPLANT"])
        #expect(harness.inUse("A") == 0)
    }

    @Test("every failed criterion is named at once, and failures outweigh missing values")
    func everyFailureNamed() {
        var referral = Immuno.referral()
        referral.histologyCode = "8041/3"
        referral.pdl1Results = [PDL1Result(scoreType: .tps, value: 10, assay: "22C3")]
        referral.treatmentHistory = TreatmentHistory(priorLines: 2, priorAgents: [.atc("L01FF02")])
        Immuno.replacingLab(&referral, with: Immuno.lab("ANC", 0.9, "10*9/L"))
        referral.immunotherapyRiskFactors.prednisoneEquivalentMgPerDay = 40
        referral.immunotherapyRiskFactors.priorPneumonitis = nil
        let evaluation = EligibilityEvaluator.evaluate(referral, for: Immuno.trial, now: Fixture.t0)
        #expect(
            evaluation.failed == [
                "HISTOLOGY", "EXCLUDED_HISTOLOGY:8041", "PDL1:TPS", "PRIOR_LINES_MAX", "PRIOR_AGENT:L01FF", "LAB:ANC",
                "CORTICOSTEROIDS",
            ])
        #expect(evaluation.missing == ["PNEUMONITIS"])
        #expect(evaluation.verdict == .ineligible)
    }

    @Test("a trial without the new criteria ignores the new facts, present or missing")
    func existingTrialsUnchanged() throws {
        let plain = Fixture.trial(sites: [Fixture.site("A", Place.amsterdam, capacity: 2)])
        var failingEverything = Fixture.referral()
        failingEverything.sex = .other
        failingEverything.histologyCode = "8041/3"
        failingEverything.pdl1Results = [PDL1Result(scoreType: .tps, value: 0)]
        failingEverything.treatmentHistory = TreatmentHistory(priorLines: 5, priorAgents: [.atc("L01FF02")])
        failingEverything.labResults = [Immuno.lab("ANC", 0.1, "10*9/L", daysAgo: 400)]
        failingEverything.immunotherapyRiskFactors = ImmunotherapyRiskFactors(
            priorPneumonitis: true, organTransplant: true)
        for referral in [Fixture.referral(), failingEverything] {
            let evaluation = EligibilityEvaluator.evaluate(referral, for: plain, now: Fixture.t0)
            #expect(evaluation.failed == [] && evaluation.missing == [] && evaluation.verdict == .eligible)
        }
    }

    @Test("a malformed fact is INVALID_ARGUMENT naming the field, never a value")
    func malformedFacts() throws {
        var harness = try Harness([Immuno.trial])
        let cases: [(@Sendable (inout PatientReferral) -> Void, String)] = [
            ({ $0.labResults[0].value = .nan }, "lab_results[0].value is not a finite number"),
            ({ $0.labResults[1].code = " " }, "lab_results[1].code is empty"),
            ({ $0.pdl1Results[0].value = -3 }, "pd_l1_results[0].value is not a finite number >= 0"),
            ({ $0.tmb = TMBResult(mutationsPerMb: .infinity) }, "tmb.mutations_per_mb is not a finite number >= 0"),
            (
                { $0.immunotherapyRiskFactors.prednisoneEquivalentMgPerDay = -1 },
                "immunotherapy_risk_factors.prednisone_equivalent_mg_per_day is not a finite number >= 0"
            ),
        ]
        for (change, message) in cases {
            var referral = Immuno.referral()
            change(&referral)
            let rejection = try harness.rejected("p1", .patientReferred(referral))
            #expect(rejection.code == .invalidArgument)
            #expect(rejection.message == message)
        }
        #expect(harness.enrollment("p1") == nil)
    }

    @Test("ICD-O-3 morphology codes are read in their usual spellings")
    func morphology() {
        #expect(
            ["8140/3", "M-8140/3", "m8140/3", "81403", "8140", " 8140/3 "].map(EligibilityEvaluator.morphology)
                == Array(repeating: "8140", count: 6))
        #expect(
            ["", "814", "8140/", "8140/33", "81a0/3", "8140/3/1", "C34.1"].allSatisfy {
                EligibilityEvaluator.morphology($0) == nil
            })
    }
}
