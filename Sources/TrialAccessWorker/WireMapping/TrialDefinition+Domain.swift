import TransitWire
import TrialAccess

extension TransitWire.TrialDefinition {
    /// The domain definition of a `trial.catalog.v1` record (not yet validated: see
    /// ``TrialCatalog/validate(_:)``).
    func domain() throws(WireMappingError) -> TrialAccess.TrialDefinition {
        guard let status = TrialAccess.RecruitingStatus(protoNumber: recruitingStatus.rawValue) else {
            throw .unspecified("recruiting_status")
        }
        var sites: [TrialAccess.TrialSite] = []
        for (index, site) in self.sites.enumerated() {
            guard let location = site.location else { throw .missing("sites[\(index)].location") }
            sites.append(
                TrialAccess.TrialSite(
                    siteID: site.siteId, name: site.name, location: location.domain,
                    screeningCapacity: Int(site.screeningCapacity), recruiting: site.recruiting))
        }
        var texts: [TrialAccess.PatientStatusText] = []
        for (index, text) in patientStatusTexts.enumerated() {
            guard let state = TrialAccess.EnrollmentState(protoNumber: text.state.rawValue) else {
                throw .unspecified("patient_status_texts[\(index)].state")
            }
            texts.append(
                TrialAccess.PatientStatusText(state: state, language: text.language, summary: text.summary, nextSteps: text.nextSteps))
        }
        return TrialAccess.TrialDefinition(
            trialID: trialId, title: title, phase: TrialAccess.TrialPhase(protoNumber: phase.rawValue),
            recruitingStatus: status, criteria: try (criteria ?? TransitWire.EligibilityCriteria()).domain(),
            sites: sites, updatedAt: updatedAt, patientStatusTexts: texts,
            adverseEventRules: adverseEventRules?.domain ?? TrialAccess.AdverseEventRules())
    }
}

extension TransitWire.AdverseEventRules {
    /// The rules; a window of 0 means the default.
    var domain: TrialAccess.AdverseEventRules {
        TrialAccess.AdverseEventRules(
            safetyVisitWithinHours: safetyVisitWithinHours == 0
                ? TrialAccess.AdverseEventRules.defaultSafetyVisitWithinHours : Int(clamping: safetyVisitWithinHours),
            discontinuingTermCodes: discontinuingTermCodes, dosingVisitCodes: dosingVisitCodes)
    }
}

extension TransitWire.EligibilityCriteria {
    func domain() throws(WireMappingError) -> TrialAccess.EligibilityCriteria {
        var biomarkers: [TrialAccess.BiomarkerRequirement] = []
        for (index, requirement) in requiredBiomarkers.enumerated() {
            guard let comparison = TrialAccess.Comparison(protoNumber: requirement.comparison.rawValue) else {
                throw .unspecified("criteria.required_biomarkers[\(index)].comparison")
            }
            biomarkers.append(
                TrialAccess.BiomarkerRequirement(
                    code: requirement.code, comparison: comparison, threshold: requirement.threshold,
                    unit: requirement.unit))
        }
        var criteria = TrialAccess.EligibilityCriteria(
            conditionCodes: conditionCodes, excludedConditionCodes: excludedConditionCodes, stages: stages,
            minAgeYears: minAgeYears == 0 ? nil : Int(minAgeYears),
            maxAgeYears: maxAgeYears == 0 ? nil : Int(maxAgeYears),
            maxECOG: maxEcog.map(Int.init), requiredBiomarkers: biomarkers,
            excludedPriorTherapies: excludedPriorTherapies)
        try addImmunotherapyCriteria(to: &criteria)
        return criteria
    }
}
