import TransitWire
import TrialAccess

// Wire -> domain for the immunotherapy criteria of a catalogue entry (catalog.proto fields 9-18).
// An UNSPECIFIED or unknown enum value inside a criterion is an error, not "no criterion": a
// reader must never drop a rule it does not understand (the entry is dead-lettered instead).

extension TransitWire.EligibilityCriteria {
    func addImmunotherapyCriteria(to criteria: inout TrialAccess.EligibilityCriteria) throws(WireMappingError) {
        criteria.sexes = try sexes.enumerated().map { (index, sex) throws(WireMappingError) in
            guard let value = TrialAccess.Sex(protoNumber: sex.rawValue) else {
                throw .unspecified("criteria.sexes[\(index)]")
            }
            return value
        }
        criteria.histologyCodes = histologyCodes
        criteria.excludedHistologyCodes = excludedHistologyCodes
        criteria.pdl1Requirements = try pdL1Requirements.enumerated().map {
            (index, requirement) throws(WireMappingError) in
            try requirement.domain(field: "criteria.pd_l1_requirements[\(index)]")
        }
        if microsatelliteRequirement != .unspecified {
            guard let value = TrialAccess.MicrosatelliteRequirement(protoNumber: microsatelliteRequirement.rawValue)
            else {
                throw .unspecified("criteria.microsatellite_requirement")
            }
            criteria.microsatelliteRequirement = value
        }
        if let tmb = tmbRequirement {
            guard let comparison = TrialAccess.Comparison(protoNumber: tmb.comparison.rawValue) else {
                throw .unspecified("criteria.tmb_requirement.comparison")
            }
            criteria.tmbRequirement = TMBRequirement(
                comparison: comparison, thresholdMutationsPerMb: tmb.thresholdMutationsPerMb)
        }
        criteria.priorTherapy = priorTherapy.map {
            PriorTherapyRequirement(
                minPriorLines: $0.minPriorLines == 0 ? nil : Int($0.minPriorLines),
                maxPriorLines: $0.maxPriorLines.map(Int.init),
                excludedAgents: $0.excludedAgents.map(\.domain), requiredAgents: $0.requiredAgents.map(\.domain))
        }
        criteria.labRequirements = labRequirements.map(\.domain)
        if measurableDisease != .unspecified {
            guard let value = TrialAccess.ResponseCriteria(protoNumber: measurableDisease.rawValue) else {
                throw .unspecified("criteria.measurable_disease")
            }
            criteria.measurableDisease = value
        }
        criteria.immunotherapyExclusions = immunotherapyExclusions?.domain ?? ImmunotherapyExclusions()
    }
}

extension TransitWire.PdL1Requirement {
    func domain(field: String) throws(WireMappingError) -> TrialAccess.PDL1Requirement {
        guard let scoreType = TrialAccess.PDL1ScoreType(protoNumber: scoreType.rawValue) else {
            throw .unspecified("\(field).score_type")
        }
        guard let comparison = TrialAccess.Comparison(protoNumber: comparison.rawValue) else {
            throw .unspecified("\(field).comparison")
        }
        return TrialAccess.PDL1Requirement(
            scoreType: scoreType, comparison: comparison, threshold: threshold, assays: assays)
    }
}

extension TransitWire.CodedConcept {
    var domain: TrialAccess.CodedConcept { TrialAccess.CodedConcept(system: system, code: code) }
}

extension TransitWire.LabRequirement {
    var domain: TrialAccess.LabRequirement {
        TrialAccess.LabRequirement(
            code: code, unit: unit, min: min, max: max, maxULNMultiple: maxUlnMultiple == 0 ? nil : maxUlnMultiple,
            maxAgeDays: maxAgeDays == 0 ? nil : Int(maxAgeDays))
    }
}

extension TransitWire.ImmunotherapyExclusions {
    var domain: TrialAccess.ImmunotherapyExclusions {
        TrialAccess.ImmunotherapyExclusions(
            autoimmuneTreatmentLookbackDays: autoimmuneTreatmentLookbackDays == 0
                ? nil : Int(autoimmuneTreatmentLookbackDays),
            maxPrednisoneEquivalentMgPerDay: maxPrednisoneEquivalentMgPerDay,
            excludePriorPneumonitis: excludePriorPneumonitis, excludeActiveCNSMetastases: excludeActiveCnsMetastases,
            excludeOrganTransplant: excludeOrganTransplant)
    }
}
