extension CatalogValidator {
    /// The safety-visit window lies in 1...336 hours; term codes are MedDRA codes; dosing visit
    /// codes are machine codes; no code twice.
    static func adverseEventRuleIssues(in rules: AdverseEventRules, _ add: (String, String) -> Void) {
        let field = "adverseEventRules"
        if !(1...AdverseEventRules.maxSafetyVisitWithinHours).contains(rules.safetyVisitWithinHours) {
            add(
                "\(field).safetyVisitWithinHours",
                "\(rules.safetyVisitWithinHours) is outside 1...\(AdverseEventRules.maxSafetyVisitWithinHours)")
        }
        var seenTerms: Set<String> = []
        for (index, code) in rules.discontinuingTermCodes.enumerated() {
            if !AdverseEventRules.isTermCode(code) {
                add("\(field).discontinuingTermCodes[\(index)]", "\"\(code)\" is not a MedDRA code (1-16 digits)")
            } else if !seenTerms.insert(code).inserted {
                add("\(field).discontinuingTermCodes[\(index)]", "\"\(code)\" appears twice")
            }
        }
        var seenVisits: Set<String> = []
        for (index, code) in rules.dosingVisitCodes.enumerated() {
            if code.isEmpty || !CriterionCode.isWellFormed(code.uppercased()) {
                add("\(field).dosingVisitCodes[\(index)]", "\"\(code)\" is not a visit code ([A-Z0-9_:.-], at most 64)")
            } else if !seenVisits.insert(code.uppercased()).inserted {
                add("\(field).dosingVisitCodes[\(index)]", "\"\(code)\" appears twice")
            }
        }
    }
}
