import TransitWire
import TrialAccess

// Domain -> wire for the trial catalogue (the file the worker writes and reads, and the topic).

extension TrialAccess.TrialDefinition {
    var wire: TransitWire.TrialDefinition {
        var definition = TransitWire.TrialDefinition()
        definition.trialId = trialID
        definition.title = title
        definition.phase = TransitWire.TrialPhase(rawValue: phase?.protoNumber ?? 0)
        definition.recruitingStatus = TransitWire.RecruitingStatus(rawValue: recruitingStatus.protoNumber)
        definition.criteria = criteria.wire
        definition.sites = sites.map(\.wire)
        definition.updatedAt = updatedAt
        definition.patientStatusTexts = patientStatusTexts.map { text in
            var wire = TransitWire.PatientStatusText()
            wire.state = TransitWire.EnrollmentState(rawValue: text.state.protoNumber)
            wire.language = text.language
            wire.summary = text.summary
            wire.nextSteps = text.nextSteps
            return wire
        }
        if adverseEventRules != TrialAccess.AdverseEventRules() {
            definition.adverseEventRules = TransitWire.AdverseEventRules(
                safetyVisitWithinHours: UInt32(clamping: adverseEventRules.safetyVisitWithinHours),
                discontinuingTermCodes: adverseEventRules.discontinuingTermCodes,
                dosingVisitCodes: adverseEventRules.dosingVisitCodes)
        }
        return definition
    }
}

extension TrialAccess.PatientStatusSummary {
    var wire: TransitWire.PatientStatusSummary {
        var summary = TransitWire.PatientStatusSummary()
        summary.language = language
        summary.summary = self.summary
        summary.nextSteps = nextSteps
        return summary
    }
}

extension TrialAccess.EligibilityCriteria {
    var wire: TransitWire.EligibilityCriteria {
        var criteria = TransitWire.EligibilityCriteria()
        criteria.conditionCodes = conditionCodes
        criteria.excludedConditionCodes = excludedConditionCodes
        criteria.stages = stages
        criteria.minAgeYears = UInt32(minAgeYears ?? 0)
        criteria.maxAgeYears = UInt32(maxAgeYears ?? 0)
        criteria.maxEcog = maxECOG.map(Int32.init)
        criteria.requiredBiomarkers = requiredBiomarkers.map { requirement in
            var wire = TransitWire.BiomarkerRequirement()
            wire.code = requirement.code
            wire.comparison = TransitWire.Comparison(rawValue: requirement.comparison.protoNumber)
            wire.threshold = requirement.threshold
            wire.unit = requirement.unit
            return wire
        }
        criteria.excludedPriorTherapies = excludedPriorTherapies
        addImmunotherapyCriteria(to: &criteria)
        return criteria
    }
}

extension TrialAccess.TrialSite {
    var wire: TransitWire.TrialSite {
        var site = TransitWire.TrialSite()
        site.siteId = siteID
        site.name = name
        site.location = location.wire
        site.screeningCapacity = UInt32(screeningCapacity)
        site.recruiting = recruiting
        return site
    }
}
