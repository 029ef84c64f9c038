import TransitWire
import TrialAccess

// Domain -> wire for the immunotherapy criteria of a catalogue entry (catalog.proto fields 9-18):
// the inverse of `addImmunotherapyCriteria(to:)`, for writing a catalogue file.

extension TrialAccess.EligibilityCriteria {
    func addImmunotherapyCriteria(to criteria: inout TransitWire.EligibilityCriteria) {
        criteria.sexes = sexes.map { TransitWire.Sex(rawValue: $0.protoNumber) }
        criteria.histologyCodes = histologyCodes
        criteria.excludedHistologyCodes = excludedHistologyCodes
        criteria.pdL1Requirements = pdl1Requirements.map { requirement in
            var wire = TransitWire.PdL1Requirement()
            wire.scoreType = TransitWire.PdL1ScoreType(rawValue: requirement.scoreType.protoNumber)
            wire.comparison = TransitWire.Comparison(rawValue: requirement.comparison.protoNumber)
            wire.threshold = requirement.threshold
            wire.assays = requirement.assays
            return wire
        }
        if let microsatellite = microsatelliteRequirement {
            criteria.microsatelliteRequirement = TransitWire.MicrosatelliteRequirement(rawValue: microsatellite.protoNumber)
        }
        criteria.tmbRequirement = tmbRequirement.map { requirement in
            var wire = TransitWire.TmbRequirement()
            wire.comparison = TransitWire.Comparison(rawValue: requirement.comparison.protoNumber)
            wire.thresholdMutationsPerMb = requirement.thresholdMutationsPerMb
            return wire
        }
        criteria.priorTherapy = priorTherapy.map { requirement in
            var wire = TransitWire.PriorTherapyRequirement()
            wire.minPriorLines = UInt32(requirement.minPriorLines ?? 0)
            wire.maxPriorLines = requirement.maxPriorLines.map(UInt32.init)
            wire.excludedAgents = requirement.excludedAgents.map(\.wire)
            wire.requiredAgents = requirement.requiredAgents.map(\.wire)
            return wire
        }
        criteria.labRequirements = labRequirements.map { requirement in
            var wire = TransitWire.LabRequirement()
            wire.code = requirement.code
            wire.unit = requirement.unit
            wire.min = requirement.min
            wire.max = requirement.max
            wire.maxUlnMultiple = requirement.maxULNMultiple ?? 0
            wire.maxAgeDays = UInt32(requirement.maxAgeDays ?? 0)
            return wire
        }
        if let measurable = measurableDisease {
            criteria.measurableDisease = TransitWire.ResponseCriteria(rawValue: measurable.protoNumber)
        }
        if immunotherapyExclusions != TrialAccess.ImmunotherapyExclusions() {
            let exclusions = immunotherapyExclusions
            var wire = TransitWire.ImmunotherapyExclusions()
            wire.autoimmuneTreatmentLookbackDays = UInt32(exclusions.autoimmuneTreatmentLookbackDays ?? 0)
            wire.maxPrednisoneEquivalentMgPerDay = exclusions.maxPrednisoneEquivalentMgPerDay
            wire.excludePriorPneumonitis = exclusions.excludePriorPneumonitis
            wire.excludeActiveCnsMetastases = exclusions.excludeActiveCNSMetastases
            wire.excludeOrganTransplant = exclusions.excludeOrganTransplant
            criteria.immunotherapyExclusions = wire
        }
    }
}

extension TrialAccess.CodedConcept {
    var wire: TransitWire.CodedConcept {
        var concept = TransitWire.CodedConcept()
        concept.system = system
        concept.code = code
        return concept
    }
}
