/// Checks a referral against a trial's criteria and finds the recruiting sites within reach.
/// Pure: no slot is touched.
public enum EligibilityEvaluator {
    /// Coding systems whose codes are compared with the catalogue's ICD-10 codes ("" = ICD-10).
    public static let icd10Systems: Set<String> = [
        "", "http://hl7.org/fhir/sid/icd-10", "http://hl7.org/fhir/sid/icd-10-cm", "ICD-10", "ICD10",
    ]

    /// Evaluates every criterion (each failed or undecidable one is reported) and the site reach,
    /// at `now` (unix ms: the age of laboratory results and look-back windows count from it).
    ///
    /// Order of codes: `TRIAL_CLOSED`, `CONDITION`, `EXCLUDED_CONDITION:*`, `STAGE`, `AGE_MIN` /
    /// `AGE_MAX` / `AGE`, `ECOG`, `BIOMARKER:*`, `PRIOR_THERAPY:*`, the immunotherapy criteria
    /// (``checkImmunotherapyCriteria(_:_:now:into:)``), then `NO_RECRUITING_SITE` /
    /// `NO_SITE_IN_RANGE` / `HOME_LOCATION`.
    public static func evaluate(_ referral: PatientReferral, for trial: TrialDefinition, now: Int64) -> TrialEvaluation {
        var result = TrialEvaluation(trialID: trial.trialID)
        if trial.recruitingStatus != .recruiting { result.failed.append(CriterionCode.trialClosed) }
        checkCondition(referral, trial.criteria, into: &result)
        checkStage(referral, trial.criteria, into: &result)
        checkAge(referral, trial.criteria, into: &result)
        checkECOG(referral, trial.criteria, into: &result)
        checkBiomarkers(referral, trial.criteria, into: &result)
        for code in trial.criteria.excludedPriorTherapies where referral.priorTherapies.contains(code) {
            result.failed.append(CriterionCode.priorTherapy(code))
        }
        checkImmunotherapyCriteria(referral, trial.criteria, now: now, into: &result)
        if trial.recruitingStatus == .recruiting {
            checkReach(referral, trial, into: &result)
        }
        result.failed = result.failed.uniqued()
        result.missing = result.missing.uniqued()
        return result
    }

    /// Recruiting sites of `trial` within `maxTravelKm` of `home` (nil = no limit), nearest
    /// first, ties by site id.
    public static func reachableSites(
        from home: GeoPoint, maxTravelKm: Int?, in trial: TrialDefinition
    ) -> [ReachableSite] {
        trial.sites
            .filter(\.recruiting)
            .map { ReachableSite(siteID: $0.siteID, distanceKm: home.distanceKm(to: $0.location.point)) }
            .filter { site in maxTravelKm.map { site.distanceKm <= Double($0) } ?? true }
            .sorted { ($0.distanceKm, $0.siteID) < ($1.distanceKm, $1.siteID) }
    }

    /// ICD-10 code without dots, upper case: "c34.1" -> "C341".
    static func normalizedCondition(_ code: String) -> String {
        String(code.trimmingWhitespace).uppercased().filter { $0 != "." }
    }

    private static func checkCondition(
        _ referral: PatientReferral, _ criteria: EligibilityCriteria, into result: inout TrialEvaluation
    ) {
        guard !criteria.conditionCodes.isEmpty || !criteria.excludedConditionCodes.isEmpty else { return }
        let system = String((referral.conditionSystem ?? "").trimmingWhitespace)
        guard let raw = referral.conditionCode, icd10Systems.contains(system) else {
            result.missing.append(CriterionCode.condition)
            return
        }
        let code = normalizedCondition(raw)
        guard !code.isEmpty else {
            result.missing.append(CriterionCode.condition)
            return
        }
        let matches = { (listed: String) in code.hasPrefix(normalizedCondition(listed)) }
        if !criteria.conditionCodes.isEmpty, !criteria.conditionCodes.contains(where: matches) {
            result.failed.append(CriterionCode.condition)
        }
        for excluded in criteria.excludedConditionCodes where matches(excluded) {
            result.failed.append(CriterionCode.excludedCondition(excluded))
        }
    }

    private static func checkStage(
        _ referral: PatientReferral, _ criteria: EligibilityCriteria, into result: inout TrialEvaluation
    ) {
        guard !criteria.stages.isEmpty else { return }
        let stage = String((referral.stage ?? "").trimmingWhitespace).uppercased()
        if stage.isEmpty {
            result.missing.append(CriterionCode.stage)
        } else if !criteria.stages.contains(where: { String($0.trimmingWhitespace).uppercased() == stage }) {
            result.failed.append(CriterionCode.stage)
        }
    }

    private static func checkAge(
        _ referral: PatientReferral, _ criteria: EligibilityCriteria, into result: inout TrialEvaluation
    ) {
        guard criteria.minAgeYears != nil || criteria.maxAgeYears != nil else { return }
        guard let age = referral.ageYears else {
            result.missing.append(CriterionCode.age)
            return
        }
        if let minimum = criteria.minAgeYears, age < minimum { result.failed.append(CriterionCode.ageMin) }
        if let maximum = criteria.maxAgeYears, age > maximum { result.failed.append(CriterionCode.ageMax) }
    }

    private static func checkECOG(
        _ referral: PatientReferral, _ criteria: EligibilityCriteria, into result: inout TrialEvaluation
    ) {
        guard let maximum = criteria.maxECOG else { return }
        guard let ecog = referral.ecog else {
            result.missing.append(CriterionCode.ecog)
            return
        }
        if ecog > maximum { result.failed.append(CriterionCode.ecog) }
    }

    private static func checkBiomarkers(
        _ referral: PatientReferral, _ criteria: EligibilityCriteria, into result: inout TrialEvaluation
    ) {
        for requirement in criteria.requiredBiomarkers {
            let code = CriterionCode.biomarker(requirement.code)
            guard let measured = latestResult(of: requirement.code, in: referral.biomarkers),
                sameUnit(measured.unit, requirement.unit)
            else {
                result.missing.append(code)
                continue
            }
            if !requirement.comparison.holds(measured.value, threshold: requirement.threshold) {
                result.failed.append(code)
            }
        }
    }

    private static func checkReach(
        _ referral: PatientReferral, _ trial: TrialDefinition, into result: inout TrialEvaluation
    ) {
        guard trial.sites.contains(where: \.recruiting) else {
            result.failed.append(CriterionCode.noRecruitingSite)
            return
        }
        guard let home = referral.homeLocation else {
            result.missing.append(CriterionCode.homeLocation)
            return
        }
        let reachable = reachableSites(from: home, maxTravelKm: referral.maxTravelKm, in: trial)
        if reachable.isEmpty {
            result.failed.append(CriterionCode.noSiteInRange)
        } else {
            result.reachableSites = reachable
        }
    }

    /// The newest result of `code` (by `measuredAt`; the later one in the list on a tie).
    private static func latestResult(of code: String, in results: [BiomarkerResult]) -> BiomarkerResult? {
        let wanted = code.uppercased()
        return newest(results.filter { $0.code.uppercased() == wanted }, by: \.measuredAt)
    }

    static func sameUnit(_ lhs: String, _ rhs: String) -> Bool {
        String(lhs.trimmingWhitespace).lowercased() == String(rhs.trimmingWhitespace).lowercased()
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each kept once.
    func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}
