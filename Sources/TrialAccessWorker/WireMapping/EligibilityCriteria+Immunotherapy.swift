import TransitWire
import TrialAccess

// The immunotherapy criteria of a catalogue entry (catalog.proto fields 9-18), both directions in
// one place: each value type below has its wire -> domain `domain` beside its domain -> wire
// `init(_:)`. An UNSPECIFIED or unknown enum value inside a criterion is an error, not "no
// criterion": a reader must never drop a rule it does not understand (the entry is dead-lettered
// instead). proto3's 0 stands for an absent count or limit (`givenOrNil` / `orZero`).

extension TransitWire.EligibilityCriteria {
    func addImmunotherapyCriteria(to criteria: inout TrialAccess.EligibilityCriteria) throws(WireMappingError) {
        criteria.sexes = try sexes.enumerated().map { (index, sex) throws(WireMappingError) in
            try TrialAccess.Sex(wire: sex, field: "criteria.sexes[\(index)]")
        }
        criteria.histologyCodes = histologyCodes
        criteria.excludedHistologyCodes = excludedHistologyCodes
        criteria.pdl1Requirements = try pdL1Requirements.enumerated().map {
            (index, requirement) throws(WireMappingError) in
            try requirement.domain(field: "criteria.pd_l1_requirements[\(index)]")
        }
        if microsatelliteRequirement != .unspecified {
            criteria.microsatelliteRequirement = try TrialAccess.MicrosatelliteRequirement(
                wire: microsatelliteRequirement, field: "criteria.microsatellite_requirement")
        }
        criteria.tmbRequirement = try tmbRequirement?.domain(field: "criteria.tmb_requirement")
        criteria.priorTherapy = priorTherapy?.domain
        criteria.labRequirements = labRequirements.map(\.domain)
        if measurableDisease != .unspecified {
            criteria.measurableDisease = try TrialAccess.ResponseCriteria(
                wire: measurableDisease, field: "criteria.measurable_disease")
        }
        criteria.immunotherapyExclusions = immunotherapyExclusions?.domain ?? TrialAccess.ImmunotherapyExclusions()
    }
}

extension TrialAccess.EligibilityCriteria {
    func addImmunotherapyCriteria(to criteria: inout TransitWire.EligibilityCriteria) {
        criteria.sexes = sexes.map { $0.wire() }
        criteria.histologyCodes = histologyCodes
        criteria.excludedHistologyCodes = excludedHistologyCodes
        criteria.pdL1Requirements = pdl1Requirements.map(TransitWire.PdL1Requirement.init)
        if let microsatellite = microsatelliteRequirement { criteria.microsatelliteRequirement = microsatellite.wire() }
        criteria.tmbRequirement = tmbRequirement.map(TransitWire.TmbRequirement.init)
        criteria.priorTherapy = priorTherapy.map(TransitWire.PriorTherapyRequirement.init)
        criteria.labRequirements = labRequirements.map(TransitWire.LabRequirement.init)
        if let measurable = measurableDisease { criteria.measurableDisease = measurable.wire() }
        if immunotherapyExclusions != TrialAccess.ImmunotherapyExclusions() {
            criteria.immunotherapyExclusions = TransitWire.ImmunotherapyExclusions(immunotherapyExclusions)
        }
    }
}

extension TransitWire.PdL1Requirement {
    init(_ requirement: TrialAccess.PDL1Requirement) {
        self.init(
            scoreType: requirement.scoreType.wire(), comparison: requirement.comparison.wire(),
            threshold: requirement.threshold, assays: requirement.assays)
    }

    func domain(field: String) throws(WireMappingError) -> TrialAccess.PDL1Requirement {
        TrialAccess.PDL1Requirement(
            scoreType: try TrialAccess.PDL1ScoreType(wire: scoreType, field: "\(field).score_type"),
            comparison: try TrialAccess.Comparison(wire: comparison, field: "\(field).comparison"),
            threshold: threshold, assays: assays)
    }
}

extension TransitWire.TmbRequirement {
    init(_ requirement: TrialAccess.TMBRequirement) {
        self.init(comparison: requirement.comparison.wire(), thresholdMutationsPerMb: requirement.thresholdMutationsPerMb)
    }

    func domain(field: String) throws(WireMappingError) -> TrialAccess.TMBRequirement {
        TrialAccess.TMBRequirement(
            comparison: try TrialAccess.Comparison(wire: comparison, field: "\(field).comparison"),
            thresholdMutationsPerMb: thresholdMutationsPerMb)
    }
}

extension TransitWire.PriorTherapyRequirement {
    init(_ requirement: TrialAccess.PriorTherapyRequirement) {
        self.init(
            minPriorLines: requirement.minPriorLines.orZero, maxPriorLines: requirement.maxPriorLines.map(UInt32.init),
            excludedAgents: requirement.excludedAgents.map(TransitWire.CodedConcept.init),
            requiredAgents: requirement.requiredAgents.map(TransitWire.CodedConcept.init))
    }

    var domain: TrialAccess.PriorTherapyRequirement {
        TrialAccess.PriorTherapyRequirement(
            minPriorLines: minPriorLines.givenOrNil, maxPriorLines: maxPriorLines.map(Int.init),
            excludedAgents: excludedAgents.map(\.domain), requiredAgents: requiredAgents.map(\.domain))
    }
}

extension TransitWire.CodedConcept {
    init(_ concept: TrialAccess.CodedConcept) {
        self.init(system: concept.system, code: concept.code)
    }

    var domain: TrialAccess.CodedConcept { TrialAccess.CodedConcept(system: system, code: code) }
}

extension TransitWire.LabRequirement {
    init(_ requirement: TrialAccess.LabRequirement) {
        self.init(
            code: requirement.code, unit: requirement.unit, min: requirement.min, max: requirement.max,
            maxUlnMultiple: requirement.maxULNMultiple ?? 0, maxAgeDays: requirement.maxAgeDays.orZero)
    }

    var domain: TrialAccess.LabRequirement {
        TrialAccess.LabRequirement(
            code: code, unit: unit, min: min, max: max, maxULNMultiple: maxUlnMultiple == 0 ? nil : maxUlnMultiple,
            maxAgeDays: maxAgeDays.givenOrNil)
    }
}

extension TransitWire.ImmunotherapyExclusions {
    init(_ exclusions: TrialAccess.ImmunotherapyExclusions) {
        self.init(
            autoimmuneTreatmentLookbackDays: exclusions.autoimmuneTreatmentLookbackDays.orZero,
            maxPrednisoneEquivalentMgPerDay: exclusions.maxPrednisoneEquivalentMgPerDay,
            excludePriorPneumonitis: exclusions.excludePriorPneumonitis,
            excludeActiveCnsMetastases: exclusions.excludeActiveCNSMetastases,
            excludeOrganTransplant: exclusions.excludeOrganTransplant)
    }

    var domain: TrialAccess.ImmunotherapyExclusions {
        TrialAccess.ImmunotherapyExclusions(
            autoimmuneTreatmentLookbackDays: autoimmuneTreatmentLookbackDays.givenOrNil,
            maxPrednisoneEquivalentMgPerDay: maxPrednisoneEquivalentMgPerDay,
            excludePriorPneumonitis: excludePriorPneumonitis, excludeActiveCNSMetastases: excludeActiveCnsMetastases,
            excludeOrganTransplant: excludeOrganTransplant)
    }
}

extension ProtoEnumMirror {
    /// The wire enum value with the same proto number.
    func wire<Wire: WireEnum>() -> Wire { Wire(rawValue: protoNumber) }

    /// The domain value of a wire enum value; UNSPECIFIED or an unknown number throws naming `field`.
    init(wire: some WireEnum, field: String) throws(WireMappingError) {
        guard let value = Self(protoNumber: wire.rawValue) else { throw .unspecified(field) }
        self = value
    }
}

extension UInt32 {
    /// nil for proto3's 0 that means "not given".
    var givenOrNil: Int? { self == 0 ? nil : Int(self) }
}

extension Int? {
    /// proto3's 0 for "not given".
    var orZero: UInt32 { UInt32(self ?? 0) }
}
