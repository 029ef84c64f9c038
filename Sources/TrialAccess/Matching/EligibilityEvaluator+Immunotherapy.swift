/// The immunotherapy criteria of a catalogue entry: each one off at its default, each failure
/// named, each value it needs and lacks named as missing (never a silent pass or fail).
extension EligibilityEvaluator {
    /// Checks, in this order: `SEX`, `HISTOLOGY` / `EXCLUDED_HISTOLOGY:*`, `PDL1:*`, `MSI_MMR`,
    /// `TMB`, `PRIOR_LINES_MIN` / `PRIOR_LINES_MAX` / `PRIOR_AGENT:*` / `REQUIRED_PRIOR_AGENT:*`,
    /// `LAB:*`, `MEASURABLE_DISEASE`, then the exclusions `AUTOIMMUNE_DISEASE`,
    /// `CORTICOSTEROIDS`, `PNEUMONITIS`, `ACTIVE_CNS_METASTASES`, `ORGAN_TRANSPLANT`.
    static func checkImmunotherapyCriteria(
        _ referral: PatientReferral, _ criteria: EligibilityCriteria, now: Int64, into result: inout TrialEvaluation
    ) {
        if !criteria.sexes.isEmpty {
            result.record(CriterionCode.sex, holds: referral.sex.map { criteria.sexes.contains($0) })
        }
        checkHistology(referral, criteria, into: &result)
        for requirement in criteria.pdl1Requirements {
            let measured = newest(
                referral.pdl1Results.filter { requirement.accepts($0) }, by: \.measuredAt)
            result.record(
                CriterionCode.pdl1(requirement.scoreType),
                holds: measured.map { requirement.comparison.holds($0.value, threshold: requirement.threshold) })
        }
        if let requirement = criteria.microsatelliteRequirement {
            result.record(
                CriterionCode.microsatellite,
                holds: requirement.holds(msi: referral.microsatelliteStatus, mmr: referral.mismatchRepairStatus))
        }
        if let requirement = criteria.tmbRequirement {
            result.record(
                CriterionCode.tmb,
                holds: referral.tmb.map {
                    requirement.comparison.holds($0.mutationsPerMb, threshold: requirement.thresholdMutationsPerMb)
                })
        }
        if let requirement = criteria.priorTherapy {
            checkPriorTherapy(referral.treatmentHistory, requirement, into: &result)
        }
        for requirement in criteria.labRequirements {
            let measured = newest(
                referral.labResults.filter { $0.code.trimmed.uppercased() == requirement.code.uppercased() },
                by: \.measuredAt)
            result.record(
                CriterionCode.lab(requirement.code), holds: measured.flatMap { requirement.holds($0, now: now) })
        }
        if let wanted = criteria.measurableDisease {
            let assessment = referral.diseaseAssessment.flatMap { $0.criteria == wanted ? $0 : nil }
            result.record(CriterionCode.measurableDisease, holds: assessment?.measurable)
        }
        checkExclusions(referral.immunotherapyRiskFactors, criteria.immunotherapyExclusions, now: now, into: &result)
    }

    /// ICD-O-3 morphology of a code like "8140/3", "M-8140/3", "8140" or "81403": the four
    /// digits before the behaviour code; nil when it is not one.
    public static func morphology(_ code: String) -> String? {
        var text = Substring(code.trimmed.uppercased())
        if text.hasPrefix("M-") { text = text.dropFirst(2) } else if text.hasPrefix("M") { text = text.dropFirst() }
        let isDigits = { (part: Substring) in part.utf8.allSatisfy { (48...57).contains($0) } }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        switch (parts.count, parts[0].count) {
        case (1, 4), (1, 5): return isDigits(parts[0]) ? String(parts[0].prefix(4)) : nil
        case (2, 4): return isDigits(parts[0]) && parts[1].count == 1 && isDigits(parts[1]) ? String(parts[0]) : nil
        default: return nil
        }
    }

    private static func checkHistology(
        _ referral: PatientReferral, _ criteria: EligibilityCriteria, into result: inout TrialEvaluation
    ) {
        guard !criteria.histologyCodes.isEmpty || !criteria.excludedHistologyCodes.isEmpty else { return }
        guard let morphology = referral.histologyCode.flatMap(morphology) else {
            result.missing.append(CriterionCode.histology)
            return
        }
        if !criteria.histologyCodes.isEmpty, !criteria.histologyCodes.contains(where: { morphology.hasPrefix($0) }) {
            result.failed.append(CriterionCode.histology)
        }
        for excluded in criteria.excludedHistologyCodes where morphology.hasPrefix(excluded) {
            result.failed.append(CriterionCode.excludedHistology(excluded))
        }
    }

    private static func checkPriorTherapy(
        _ history: TreatmentHistory?, _ requirement: PriorTherapyRequirement, into result: inout TrialEvaluation
    ) {
        if let minimum = requirement.minPriorLines {
            result.record(CriterionCode.priorLinesMin, holds: history.map { $0.priorLines >= minimum })
        }
        if let maximum = requirement.maxPriorLines {
            result.record(CriterionCode.priorLinesMax, holds: history.map { $0.priorLines <= maximum })
        }
        for agent in requirement.excludedAgents {
            result.record(
                CriterionCode.priorAgent(agent.code), holds: history.flatMap { received(agent, in: $0) }.map { !$0 })
        }
        for agent in requirement.requiredAgents {
            result.record(
                CriterionCode.requiredPriorAgent(agent.code), holds: history.flatMap { received(agent, in: $0) })
        }
    }

    /// Whether the history shows `agent` (or an agent it covers); nil when it cannot tell: no
    /// match, but some agents are coded in another system.
    private static func received(_ agent: CodedConcept, in history: TreatmentHistory) -> Bool? {
        if history.priorAgents.contains(where: { agent.covers($0) }) { return true }
        return history.priorAgents.contains(where: { !agent.sameSystem(as: $0) }) ? nil : false
    }

    private static func checkExclusions(
        _ facts: ImmunotherapyRiskFactors, _ exclusions: ImmunotherapyExclusions, now: Int64,
        into result: inout TrialEvaluation
    ) {
        if let days = exclusions.autoimmuneTreatmentLookbackDays {
            let clear: Bool? =
                switch facts.autoimmuneDiseaseSystemicTreatment {
                case false?: true
                case true?: facts.autoimmuneSystemicTreatmentLastAt.map { now - $0 > Millis.days(days) }
                case nil: nil
                }
            result.record(CriterionCode.autoimmuneDisease, holds: clear)
        }
        if let maximum = exclusions.maxPrednisoneEquivalentMgPerDay {
            result.record(
                CriterionCode.corticosteroids, holds: facts.prednisoneEquivalentMgPerDay.map { $0 <= maximum })
        }
        if exclusions.excludePriorPneumonitis {
            result.record(CriterionCode.pneumonitis, holds: facts.priorPneumonitis.map { !$0 })
        }
        if exclusions.excludeActiveCNSMetastases {
            result.record(CriterionCode.activeCNSMetastases, holds: facts.activeCNSMetastases.map { !$0 })
        }
        if exclusions.excludeOrganTransplant {
            result.record(CriterionCode.organTransplant, holds: facts.organTransplant.map { !$0 })
        }
    }

    /// The newest of `results` by time (unknown times count as oldest; the later one in the list on a tie).
    static func newest<T>(_ results: [T], by time: (T) -> Int64?) -> T? {
        var latest: T?
        for candidate in results {
            if let held = latest, (time(held) ?? 0) > (time(candidate) ?? 0) { continue }
            latest = candidate
        }
        return latest
    }
}

extension TrialEvaluation {
    /// Records one criterion: true passes, false fails `code`, nil (a value missing) lists `code` as missing.
    mutating func record(_ code: String, holds: Bool?) {
        switch holds {
        case true?: break
        case false?: failed.append(code)
        case nil: missing.append(code)
        }
    }
}

extension PDL1Requirement {
    /// Whether `result` is of this requirement's score type and from an accepted assay.
    func accepts(_ result: PDL1Result) -> Bool {
        guard result.scoreType == scoreType else { return false }
        guard !assays.isEmpty else { return true }
        guard let assay = result.assay?.trimmed.uppercased() else { return false }
        return assays.contains { $0.trimmed.uppercased() == assay }
    }
}

extension MicrosatelliteRequirement {
    /// Whether the statuses meet the requirement; nil when neither is known. One positive test
    /// (MSI-H or dMMR) makes the tumour MSI-H/dMMR; otherwise one known negative test rules it out.
    func holds(msi: MicrosatelliteStatus?, mmr: MismatchRepairStatus?) -> Bool? {
        let positive = msi == .high || mmr == .deficient
        guard positive || msi != nil || mmr != nil else { return nil }
        return self == .msiHighOrDeficientMMR ? positive : !positive
    }
}

extension LabRequirement {
    /// Whether `result` meets the requirement at `now`; nil when it cannot be told: the result
    /// is older than `maxAgeDays` (or undated), in another unit than `unit` (with `min`/`max`),
    /// or without an upper limit of normal (with `maxULNMultiple`).
    func holds(_ result: LabResult, now: Int64) -> Bool? {
        if let days = maxAgeDays {
            guard let measuredAt = result.measuredAt, now - measuredAt <= Millis.days(days) else { return nil }
        }
        // A bound that is known to fail decides, even when another one cannot be checked.
        var bounds: [Bool?] = []
        if min != nil || max != nil {
            let comparable = EligibilityEvaluator.sameUnit(result.unit, unit)
            bounds.append(
                comparable ? (min.map { result.value >= $0 } ?? true) && (max.map { result.value <= $0 } ?? true) : nil)
        }
        if let multiple = maxULNMultiple {
            bounds.append(result.upperLimitOfNormal.flatMap { $0 > 0 ? result.value <= multiple * $0 : nil })
        }
        if bounds.contains(false) { return false }
        return bounds.contains(nil) ? nil : true
    }
}
