/// Field checks of commands; messages name fields, never values of a patient.
enum InputValidation {
    static let maxAgeYears = 150

    static func require(_ condition: Bool, _ message: @autoclosure () -> String) throws(TrialAccessRejection) {
        if !condition { throw TrialAccessRejection(.invalidArgument, message()) }
    }

    static func nonEmpty(_ value: String, _ field: String) throws(TrialAccessRejection) {
        try require(!value.trimmingWhitespace.isEmpty, "\(field) is empty")
    }

    /// An optional machine code must be well-formed when given.
    static func code(_ value: String?, _ field: String) throws(TrialAccessRejection) {
        guard let value, !value.isEmpty else { return }
        try require(CriterionCode.isWellFormed(value), "\(field) is not a machine code ([A-Z0-9_:.-], at most 64)")
    }

    static func referral(_ referral: PatientReferral) throws(TrialAccessRejection) {
        if let age = referral.ageYears {
            try require((0...maxAgeYears).contains(age), "age_years is outside 0...\(maxAgeYears)")
        }
        if let ecog = referral.ecog { try require((0...5).contains(ecog), "ecog is outside 0...5") }
        if let home = referral.homeLocation { try require(home.isValid, "home_location is not a valid coordinate") }
        if let limit = referral.maxTravelKm { try require(limit >= 0, "max_travel_km is negative") }
        try require(referral.companions >= 0, "companions is negative")
        for (index, marker) in referral.biomarkers.enumerated() {
            try nonEmpty(marker.code, "biomarkers[\(index)].code")
            try require(marker.value.isFinite, "biomarkers[\(index)].value is not a finite number")
        }
        for (index, consent) in referral.consents.enumerated() {
            try self.consent(consent, field: "consents[\(index)]")
        }
        try clinicalFacts(referral)
    }

    /// The immunotherapy facts: numbers finite and not negative, lab results coded.
    static func clinicalFacts(_ referral: PatientReferral) throws(TrialAccessRejection) {
        func measure(_ value: Double, _ field: String) throws(TrialAccessRejection) {
            try require(value.isFinite && value >= 0, "\(field) is not a finite number >= 0")
        }
        for (index, result) in referral.pdl1Results.enumerated() {
            try measure(result.value, "pd_l1_results[\(index)].value")
        }
        if let tmb = referral.tmb { try measure(tmb.mutationsPerMb, "tmb.mutations_per_mb") }
        if let history = referral.treatmentHistory {
            try require(history.priorLines >= 0, "treatment_history.prior_lines is negative")
        }
        for (index, lab) in referral.labResults.enumerated() {
            try nonEmpty(lab.code, "lab_results[\(index)].code")
            try require(lab.value.isFinite, "lab_results[\(index)].value is not a finite number")
            if let uln = lab.upperLimitOfNormal { try measure(uln, "lab_results[\(index)].upper_limit_of_normal") }
        }
        if let dose = referral.immunotherapyRiskFactors.prednisoneEquivalentMgPerDay {
            try measure(dose, "immunotherapy_risk_factors.prednisone_equivalent_mg_per_day")
        }
    }

    static func consent(_ consent: Consent, field: String = "consent") throws(TrialAccessRejection) {
        try nonEmpty(consent.version, "\(field).version")
        try require(consent.grantedAt > 0, "\(field).granted_at is not set")
        if consent.scope == .participation {
            try require(!(consent.trialID ?? "").isEmpty, "\(field).trial_id is required for PARTICIPATION")
        }
    }

    static func visit(_ visit: Visit) throws(TrialAccessRejection) {
        try nonEmpty(visit.visitID, "visit.visit_id")
        try nonEmpty(visit.trialID, "visit.trial_id")
        try nonEmpty(visit.siteID, "visit.site_id")
        try require(visit.scheduledAt > 0, "visit.scheduled_at is not set")
        try require(visit.protocolWindow.isValid, "visit.protocol_window ends before it starts")
        if let minutes = visit.durationMinutes { try require(minutes >= 0, "visit.duration_minutes is negative") }
    }
}

extension Optional where Wrapped == String {
    /// nil for nil or "" (proto3: empty means not given).
    var nonEmpty: String? {
        guard let value = self, !value.isEmpty else { return nil }
        return value
    }
}
