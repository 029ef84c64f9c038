/// The rules a trial definition must follow before it enters a ``TrialCatalog``.
enum CatalogValidator {
    static let maxAgeYears = 150
    static let maxECOG = 5
    static let codeRule =
        "must be upper-case letters, digits, '_', '.' or '-', short enough for a 64-character criterion code"

    static func issues(in trial: TrialDefinition) -> [CatalogIssue] {
        var issues: [CatalogIssue] = []
        func add(_ field: String, _ problem: String) {
            issues.append(CatalogIssue(trialID: trial.trialID, field: field, problem: problem))
        }
        if trial.trialID.trimmingWhitespace.isEmpty { add("trialId", "is empty") }
        if trial.title.trimmingWhitespace.isEmpty { add("title", "is empty") }
        if trial.updatedAt < 0 { add("updatedAt", "is negative") }

        let criteria = trial.criteria
        for (index, code) in criteria.conditionCodes.enumerated() where !isConditionCode(code) {
            add("criteria.conditionCodes[\(index)]", "\"\(code)\" is not an upper-case ICD-10 code (e.g. C34 or C34.1)")
        }
        for (index, code) in criteria.excludedConditionCodes.enumerated() where !isConditionCode(code) {
            add(
                "criteria.excludedConditionCodes[\(index)]", "\"\(code)\" is not an upper-case ICD-10 code (e.g. C79.3)"
            )
        }
        for (index, stage) in criteria.stages.enumerated() where stage.trimmingWhitespace.isEmpty {
            add("criteria.stages[\(index)]", "is empty")
        }
        for (field, age) in [("minAgeYears", criteria.minAgeYears), ("maxAgeYears", criteria.maxAgeYears)] {
            if let age, !(0...maxAgeYears).contains(age) {
                add("criteria.\(field)", "\(age) is outside 0...\(maxAgeYears)")
            }
        }
        if let low = criteria.minAgeYears, let high = criteria.maxAgeYears, low > high {
            add("criteria.minAgeYears", "\(low) is above maxAgeYears \(high)")
        }
        if let ecog = criteria.maxECOG, !(0...maxECOG).contains(ecog) {
            add("criteria.maxEcog", "\(ecog) is outside 0...\(maxECOG)")
        }
        for (index, requirement) in criteria.requiredBiomarkers.enumerated() {
            let field = "criteria.requiredBiomarkers[\(index)]"
            if !CriterionCode.isWellFormed(CriterionCode.biomarker(requirement.code)) || requirement.code.isEmpty {
                add("\(field).code", "\"\(requirement.code)\" \(codeRule)")
            }
            if !requirement.threshold.isFinite { add("\(field).threshold", "is not a finite number") }
            if requirement.unit.trimmingWhitespace.isEmpty { add("\(field).unit", "is empty") }
        }
        for (index, code) in criteria.excludedPriorTherapies.enumerated()
        where code.isEmpty || !CriterionCode.isWellFormed(CriterionCode.priorTherapy(code)) {
            add("criteria.excludedPriorTherapies[\(index)]", "\"\(code)\" \(codeRule)")
        }
        immunotherapyIssues(in: criteria, add)

        var seenSites: Set<String> = []
        for (index, site) in trial.sites.enumerated() {
            let field = "sites[\(index)]"
            if site.siteID.trimmingWhitespace.isEmpty {
                add("\(field).siteId", "is empty")
            } else if !seenSites.insert(site.siteID).inserted {
                add("\(field).siteId", "\"\(site.siteID)\" appears twice in this trial")
            }
            if !site.location.point.isValid {
                add("\(field).location.point", "latitude must be within -90...90 and longitude within -180...180")
            }
            if site.screeningCapacity < 0 { add("\(field).screeningCapacity", "is negative") }
        }
        patientStatusTextIssues(in: trial, add)
        adverseEventRuleIssues(in: trial.adverseEventRules, add)
        return issues
    }

    /// Upper-case letters, digits and dots, starting with a letter: "C34", "C34.1", "C79.3".
    static func isConditionCode(_ code: String) -> Bool {
        guard let first = code.utf8.first, (65...90).contains(first) else { return false }
        return code.utf8.count <= 16
            && code.utf8.allSatisfy { (65...90).contains($0) || (48...57).contains($0) || $0 == 46 }
    }
}

extension String {
    var trimmingWhitespace: Substring {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
