import TransitWire

/// The Spanish journey (samples/catalog-es.json, samples/partners-es.json): P6 lives in Madrid, has
/// advanced non-small-cell lung cancer with PD-L1 TPS 62 % and meets the first-line anti-PD-1 trial
/// NCT09900201 at Hospital Universitario 12 de Octubre; taxi-madrid drives her to screening. Then a
/// grade 3 colitis (an immune-related adverse event) is reported: trial access plans an urgent
/// same-day visit and transport books its ride with the earliest pickup.
extension DemoScenario {
    static let spanishTrial = "NCT09900201"
    static let spanishSite = "es-mad-12oct"
    /// CTCAE term "Colitis", MedDRA code.
    static let colitis = "10009887"

    private static let day: Int64 = 86_400_000

    var spanishPatient: Patient {
        let label = "P6"
        var referral = PatientReferred()
        referral.referralId = "ref-\(run)-\(label)"
        referral.trialId = Self.spanishTrial
        referral.conditionCode = "C34.1"
        referral.stage = "IVA"
        referral.ageYears = 63
        referral.ecog = 1
        referral.sex = .female
        referral.histologyCode = "8140/3"
        referral.biomarkers = [
            BiomarkerResult(code: "EGFR", value: 0, unit: "bool"), BiomarkerResult(code: "ALK", value: 0, unit: "bool"),
        ]
        referral.pdL1Results = [PdL1Result(scoreType: .tps, value: 62, assay: "22C3", measuredAt: now - 20 * Self.day)]
        referral.treatmentHistory = TreatmentHistory(priorLines: 0)
        let labsAt = now - 2 * Self.day
        referral.labResults = [
            LabResult(code: "ANC", value: 3.1, unit: "10*9/L", measuredAt: labsAt),
            LabResult(code: "PLT", value: 240, unit: "10*9/L", measuredAt: labsAt),
            LabResult(code: "CRCL", value: 81, unit: "mL/min", measuredAt: labsAt),
            LabResult(code: "AST", value: 28, unit: "U/L", upperLimitOfNormal: 40, measuredAt: labsAt),
            LabResult(code: "ALT", value: 22, unit: "U/L", upperLimitOfNormal: 41, measuredAt: labsAt),
            LabResult(code: "TBILI", value: 0.7, unit: "mg/dL", upperLimitOfNormal: 1.2, measuredAt: labsAt),
        ]
        referral.diseaseAssessment = DiseaseAssessment(criteria: .recist1_1, measurable: true, assessedAt: now - 9 * Self.day)
        referral.immunotherapyRiskFactors = ImmunotherapyRiskFactors(
            autoimmuneDiseaseSystemicTreatment: .absent, prednisoneEquivalentMgPerDay: 0, priorPneumonitis: .absent,
            activeCnsMetastases: .absent, organTransplant: .absent)
        referral.homeLocation = GeoPoint(latitude: 40.42, longitude: -3.70)
        referral.maxTravelKm = 80
        referral.mobility = .ambulatory
        referral.language = "es"
        referral.consents = [Consent(scope: .contact, version: "v3", grantedAt: now)]
        return Patient(
            label: label, ref: "demo-\(run)-\(label.lowercased())",
            story: "Madrid, lung cancer PD-L1 62 %: anti-PD-1 trial, taxi to screening, then a grade 3 colitis",
            referral: referral, mobility: .ambulatory, siteID: Self.spanishSite)
    }

    /// A grade 3 colitis reported by the site at `at` (began six hours earlier).
    func colitisReport(_ patient: Patient, at: Int64) -> EnrollmentEvent {
        var event = envelope(
            patient, "adverse-event",
            .adverseEventReported(
                AdverseEventReported(
                    trialId: patient.referral.trialId, ctcaeTermCode: Self.colitis, grade: 3,
                    onsetAt: at - 6 * 3_600_000, reporter: .site)))
        event.occurredAt = at
        return event
    }
}
