import Foundation
import Testing
import TransitTestSupport
import TrialAccess
import TrialAccessWorker

/// samples/catalog-es.json: Spanish hospitals running demo trials modelled on anti-PD-1/PD-L1
/// protocols, stated with the immunotherapy criteria.
@Suite("Spanish sample catalogue")
struct SpanishCatalogTests {
    static let path = TestEnvironment.repositoryRoot + "/samples/catalog-es.json"
    static let sevilla = GeoPoint(latitude: 37.39, longitude: -5.99)
    static let cordoba = GeoPoint(latitude: 37.88, longitude: -4.78)

    static func catalog() throws -> TrialCatalog { try TrialCatalog.load(file: path) }

    @Test("it loads; every trial is valid, uses immunotherapy criteria and has Spanish sites; one trial is closed")
    func loads() throws {
        let catalog = try Self.catalog()
        #expect(catalog.trials.count == 6)
        #expect(catalog.trials.filter { $0.recruitingStatus == .closedToAccrual }.map(\.trialID) == ["NCT09900203"])
        for trial in catalog.trials {
            #expect(TrialCatalog.validate(trial).isEmpty, "\(trial.trialID)")
            #expect(trial.criteria.immunotherapyExclusions == .usual, "\(trial.trialID)")
            #expect(trial.criteria.priorTherapy?.excludedAgents == [.atc("L01FF")], "\(trial.trialID)")
            #expect(!trial.criteria.labRequirements.isEmpty, "\(trial.trialID)")
            // The patient app's texts: Spanish and English for every state it shows.
            for language in ["es", "en"] {
                let states = Set(trial.patientStatusTexts.filter { $0.language == language }.map(\.state))
                #expect(states.isSuperset(of: [.eligible, .ineligible, .waitlisted, .needsReview, .screening, .onStudy, .withdrawn]), "\(trial.trialID) \(language)")
            }
            for site in trial.sites {
                #expect(site.siteID.hasPrefix("es-"))
                #expect(
                    (36...44).contains(site.location.point.latitude)
                        && (-9.5...3.5).contains(site.location.point.longitude))
                #expect((2...5).contains(site.screeningCapacity))
            }
        }
        let cities = Set(catalog.trials.flatMap(\.sites).map { $0.siteID.split(separator: "-")[1] })
        #expect(cities.isSuperset(of: ["mad", "bcn", "vlc", "svq"]))
        // Every new criterion kind appears somewhere.
        let criteria = catalog.trials.map(\.criteria)
        #expect(criteria.contains { !$0.sexes.isEmpty })
        #expect(criteria.contains { !$0.excludedHistologyCodes.isEmpty })
        #expect(criteria.contains { $0.pdl1Requirements.contains { $0.scoreType == .tps } })
        #expect(criteria.contains { $0.pdl1Requirements.contains { $0.scoreType == .cps } })
        #expect(criteria.contains { $0.microsatelliteRequirement == .msiHighOrDeficientMMR })
        #expect(criteria.contains { $0.tmbRequirement != nil })
        #expect(criteria.contains { !($0.priorTherapy?.requiredAgents.isEmpty ?? true) })
        #expect(criteria.contains { $0.measurableDisease == .recist11 })
    }

    /// A first-line NSCLC patient from Sevilla (facts dated relative to `now`).
    static func sevillaLungReferral(now: Int64, tps: Double) -> PatientReferral {
        let day = Millis.day
        var referral = PatientReferral(
            referralID: "ref-es-1", trialID: "NCT09900201", conditionCode: "C34.1", stage: "IV", ageYears: 67, ecog: 1,
            biomarkers: [
                BiomarkerResult(code: "EGFR", value: 0, unit: "bool"),
                BiomarkerResult(code: "ALK", value: 0, unit: "bool"),
            ], homeLocation: sevilla, maxTravelKm: 150, language: "es", sex: .male, histologyCode: "8140/3",
            pdl1Results: [PDL1Result(scoreType: .tps, value: tps, assay: "22C3", measuredAt: now - 15 * day)],
            treatmentHistory: TreatmentHistory(priorLines: 0),
            diseaseAssessment: DiseaseAssessment(criteria: .recist11, measurable: true, assessedAt: now - 7 * day),
            immunotherapyRiskFactors: .allAbsent)
        referral.labResults = [
            LabResult(code: "ANC", value: 4.0, unit: "10*9/L", measuredAt: now - 3 * day),
            LabResult(code: "PLT", value: 260, unit: "10*9/L", measuredAt: now - 3 * day),
            LabResult(code: "CRCL", value: 72, unit: "mL/min", measuredAt: now - 3 * day),
            LabResult(code: "AST", value: 31, unit: "U/L", upperLimitOfNormal: 40, measuredAt: now - 3 * day),
            LabResult(code: "ALT", value: 35, unit: "U/L", upperLimitOfNormal: 41, measuredAt: now - 3 * day),
            LabResult(code: "TBILI", value: 0.9, unit: "mg/dL", upperLimitOfNormal: 1.2, measuredAt: now - 3 * day),
        ]
        return referral
    }

    @Test(
        "a Sevilla lung patient: TPS 70 % is eligible at Virgen del Rocío; TPS 20 % fails PDL1:TPS; no ANC needs review"
    )
    func sevillaLungPatient() throws {
        let catalog = try Self.catalog()
        var ledger = InMemorySlotLedger(catalog: catalog)
        func decide(_ referral: PatientReferral, _ patient: String) throws -> TrialAccessDecision {
            let command = TrialAccessCommand(
                eventID: "e-\(patient)", patientRef: patient, body: .patientReferred(referral))
            return try TrialAccessDecider().decide(
                command, enrollments: [], catalog: catalog, ledger: &ledger, now: Fixture.t0
            )
            .get()
        }
        let eligible = try decide(Self.sevillaLungReferral(now: Fixture.t0, tps: 70), "p1")
        #expect(eligible.reply?.state == .eligible)
        #expect(eligible.reply?.siteID == "es-svq-vrocio")

        let lowPDL1 = try decide(Self.sevillaLungReferral(now: Fixture.t0, tps: 20), "p2")
        #expect(lowPDL1.reply?.state == .ineligible)
        #expect(lowPDL1.reply?.unmetCriteria == ["PDL1:TPS"])

        var noANC = Self.sevillaLungReferral(now: Fixture.t0, tps: 70)
        noANC.labResults.removeAll { $0.code == "ANC" }
        let review = try decide(noANC, "p3")
        #expect(review.reply?.state == .needsReview)
        #expect(review.reply?.unmetCriteria == ["LAB:ANC"])
    }

    @Test("an open referral of a woman from Córdoba with cervical cancer lands on the KEYNOTE-826-like trial nearby")
    func cordobaCervicalPatient() throws {
        let catalog = try Self.catalog()
        var ledger = InMemorySlotLedger(catalog: catalog)
        var referral = Self.sevillaLungReferral(now: Fixture.t0, tps: 0)
        referral.trialID = nil
        referral.conditionCode = "C53.9"
        referral.stage = "IVB"
        referral.sex = .female
        referral.histologyCode = "8070/3"
        referral.homeLocation = Self.cordoba
        referral.pdl1Results = [
            PDL1Result(scoreType: .cps, value: 12, assay: "22C3", measuredAt: Fixture.t0 - Millis.day)
        ]
        let command = TrialAccessCommand(eventID: "e-open", patientRef: "p4", body: .patientReferred(referral))
        let decision = try TrialAccessDecider().decide(
            command, enrollments: [], catalog: catalog, ledger: &ledger, now: Fixture.t0
        ).get()
        #expect(decision.reply?.trialID == "NCT09900205")
        #expect(decision.reply?.siteID == "es-odb-reinasofia")
        var man = referral
        man.sex = .male
        man.trialID = "NCT09900205"
        let refused = try TrialAccessDecider().decide(
            TrialAccessCommand(eventID: "e-man", patientRef: "p5", body: .patientReferred(man)), enrollments: [],
            catalog: catalog, ledger: &ledger, now: Fixture.t0
        ).get()
        #expect(refused.reply?.unmetCriteria == ["SEX"])
    }
}
