import TransitWire
import TrialAccess

// Wire -> domain for the referral's immunotherapy facts (enrollment.proto fields 17-26). An
// UNSPECIFIED or unknown enum value is "not known" (CONTRACT.md §9), so a criterion needing it
// asks for review; a PD-L1 result of an unknown score type is left out for the same reason.

extension PatientReferred {
    func addClinicalFacts(to referral: inout PatientReferral) {
        referral.sex = TrialAccess.Sex(protoNumber: sex.rawValue)
        referral.histologyCode = histologyCode.givenOrNil
        referral.pdl1Results = pdL1Results.compactMap(\.domain)
        referral.microsatelliteStatus = TrialAccess.MicrosatelliteStatus(protoNumber: microsatelliteStatus.rawValue)
        referral.mismatchRepairStatus = TrialAccess.MismatchRepairStatus(protoNumber: mismatchRepairStatus.rawValue)
        referral.tmb = tmb.map {
            TMBResult(
                mutationsPerMb: $0.mutationsPerMb, assay: $0.assay.givenOrNil,
                measuredAt: $0.measuredAt == 0 ? nil : $0.measuredAt)
        }
        referral.treatmentHistory = treatmentHistory.map {
            TrialAccess.TreatmentHistory(priorLines: Int($0.priorLines), priorAgents: $0.priorAgents.map(\.domain))
        }
        referral.labResults = labResults.map {
            TrialAccess.LabResult(
                code: $0.code, value: $0.value, unit: $0.unit,
                upperLimitOfNormal: $0.upperLimitOfNormal == 0 ? nil : $0.upperLimitOfNormal,
                measuredAt: $0.measuredAt == 0 ? nil : $0.measuredAt)
        }
        referral.diseaseAssessment = diseaseAssessment.map {
            TrialAccess.DiseaseAssessment(
                criteria: TrialAccess.ResponseCriteria(protoNumber: $0.criteria.rawValue), measurable: $0.measurable,
                assessedAt: $0.assessedAt == 0 ? nil : $0.assessedAt)
        }
        referral.immunotherapyRiskFactors = immunotherapyRiskFactors?.domain ?? ImmunotherapyRiskFactors()
    }
}

extension TransitWire.PdL1Result {
    /// nil for an unspecified or unknown score type.
    var domain: TrialAccess.PDL1Result? {
        TrialAccess.PDL1ScoreType(protoNumber: scoreType.rawValue).map {
            TrialAccess.PDL1Result(
                scoreType: $0, value: value, assay: assay.givenOrNil, measuredAt: measuredAt == 0 ? nil : measuredAt)
        }
    }
}

extension TransitWire.Presence {
    /// true = present, false = absent, nil = not known (UNSPECIFIED or an unknown number).
    var known: Bool? {
        switch self {
        case .present: true
        case .absent: false
        default: nil
        }
    }
}

extension TransitWire.ImmunotherapyRiskFactors {
    var domain: TrialAccess.ImmunotherapyRiskFactors {
        TrialAccess.ImmunotherapyRiskFactors(
            autoimmuneDiseaseSystemicTreatment: autoimmuneDiseaseSystemicTreatment.known,
            autoimmuneSystemicTreatmentLastAt: autoimmuneSystemicTreatmentLastAt == 0
                ? nil : autoimmuneSystemicTreatmentLastAt,
            prednisoneEquivalentMgPerDay: prednisoneEquivalentMgPerDay, priorPneumonitis: priorPneumonitis.known,
            activeCNSMetastases: activeCnsMetastases.known, organTransplant: organTransplant.known)
    }
}
