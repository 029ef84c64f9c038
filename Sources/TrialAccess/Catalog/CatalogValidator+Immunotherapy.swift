/// Rules for the immunotherapy criteria of a catalogue entry.
extension CatalogValidator {
    static let maxPriorLines = 20

    static func immunotherapyIssues(in criteria: EligibilityCriteria, _ add: (String, String) -> Void) {
        for (field, codes) in [
            ("histologyCodes", criteria.histologyCodes), ("excludedHistologyCodes", criteria.excludedHistologyCodes),
        ] {
            for (index, code) in codes.enumerated() where !isMorphologyPrefix(code) {
                add(
                    "criteria.\(field)[\(index)]",
                    "\"\(code)\" is not an ICD-O-3 morphology of 1-4 digits without behaviour (e.g. 8140, 807)")
            }
        }
        for (index, requirement) in criteria.pdl1Requirements.enumerated() {
            let field = "criteria.pdL1Requirements[\(index)]"
            if !requirement.threshold.isFinite || requirement.threshold < 0 {
                add("\(field).threshold", "is not a finite number >= 0")
            }
            for (position, assay) in requirement.assays.enumerated() where assay.trimmingWhitespace.isEmpty {
                add("\(field).assays[\(position)]", "is empty")
            }
        }
        if let tmb = criteria.tmbRequirement, !tmb.thresholdMutationsPerMb.isFinite || tmb.thresholdMutationsPerMb < 0 {
            add("criteria.tmbRequirement.thresholdMutationsPerMb", "is not a finite number >= 0")
        }
        if let prior = criteria.priorTherapy { priorTherapyIssues(prior, add) }
        for (index, requirement) in criteria.labRequirements.enumerated() {
            labIssues(requirement, field: "criteria.labRequirements[\(index)]", add)
        }
        let exclusions = criteria.immunotherapyExclusions
        if let days = exclusions.autoimmuneTreatmentLookbackDays, days < 0 {
            add("criteria.immunotherapyExclusions.autoimmuneTreatmentLookbackDays", "is negative")
        }
        if let dose = exclusions.maxPrednisoneEquivalentMgPerDay, !dose.isFinite || dose < 0 {
            add("criteria.immunotherapyExclusions.maxPrednisoneEquivalentMgPerDay", "is not a finite number >= 0")
        }
    }

    private static func priorTherapyIssues(_ prior: PriorTherapyRequirement, _ add: (String, String) -> Void) {
        for (name, lines) in [("minPriorLines", prior.minPriorLines), ("maxPriorLines", prior.maxPriorLines)] {
            if let lines, !(0...maxPriorLines).contains(lines) {
                add("criteria.priorTherapy.\(name)", "\(lines) is outside 0...\(maxPriorLines)")
            }
        }
        if let low = prior.minPriorLines, let high = prior.maxPriorLines, low > high {
            add("criteria.priorTherapy.minPriorLines", "\(low) is above maxPriorLines \(high)")
        }
        for (name, agents, code) in [
            ("excludedAgents", prior.excludedAgents, CriterionCode.priorAgent),
            ("requiredAgents", prior.requiredAgents, CriterionCode.requiredPriorAgent),
        ] {
            for (index, agent) in agents.enumerated() {
                let field = "criteria.priorTherapy.\(name)[\(index)]"
                if agent.system.trimmingWhitespace.isEmpty {
                    add("\(field).system", "is empty (ATC: \(CodedConcept.atcSystem))")
                }
                if agent.code.isEmpty || !CriterionCode.isWellFormed(code(agent.code)) {
                    add("\(field).code", "\"\(agent.code)\" \(codeRule)")
                }
            }
        }
    }

    private static func labIssues(_ requirement: LabRequirement, field: String, _ add: (String, String) -> Void) {
        if requirement.code.isEmpty || !CriterionCode.isWellFormed(CriterionCode.lab(requirement.code)) {
            add("\(field).code", "\"\(requirement.code)\" \(codeRule)")
        }
        if requirement.min == nil, requirement.max == nil, requirement.maxULNMultiple == nil {
            add(field, "has no bound (min, max or maxUlnMultiple)")
        }
        if requirement.min != nil || requirement.max != nil, requirement.unit.trimmingWhitespace.isEmpty {
            add("\(field).unit", "is empty while min or max is set")
        }
        for (name, value) in [
            ("min", requirement.min), ("max", requirement.max), ("maxUlnMultiple", requirement.maxULNMultiple),
        ] {
            if let value, !value.isFinite { add("\(field).\(name)", "is not a finite number") }
        }
        if let low = requirement.min, let high = requirement.max, low > high {
            add("\(field).min", "is above max")
        }
        if let multiple = requirement.maxULNMultiple, multiple <= 0 { add("\(field).maxUlnMultiple", "is not above 0") }
        if let days = requirement.maxAgeDays, days < 0 { add("\(field).maxAgeDays", "is negative") }
    }

    /// 1-4 digits: an ICD-O-3 morphology code or the start of one ("8140", "807").
    static func isMorphologyPrefix(_ code: String) -> Bool {
        (1...4).contains(code.utf8.count) && code.utf8.allSatisfy { (48...57).contains($0) }
    }
}
