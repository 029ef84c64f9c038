import Foundation
import TrialAccess

/// A small catalogue written for one test: trial ``trialID`` (lung cancer, age >= 18, ECOG <= 1)
/// with site A in Amsterdam and site B in Utrecht, both recruiting, with the given screening
/// capacities. Patients live near Amsterdam (``home``), within reach of both.
enum TestCatalog {
    static let trialID = "NCT-TAW-0001"
    static let siteA = "site-a"
    static let siteB = "site-b"
    static let siteALocation = GeoPoint(latitude: 52.294, longitude: 4.958)
    static let siteBLocation = GeoPoint(latitude: 52.087, longitude: 5.179)

    static func trial(
        capacityA: Int, capacityB: Int, updatedAt: Int64 = 1_767_225_600_000,
        adverseEventRules: AdverseEventRules = AdverseEventRules()
    ) -> TrialDefinition {
        TrialDefinition(
            trialID: trialID, title: "Test trial (worker integration tests)", phase: .phase2,
            recruitingStatus: .recruiting,
            criteria: EligibilityCriteria(conditionCodes: ["C34"], minAgeYears: 18, maxECOG: 1),
            sites: [
                TrialSite(
                    siteID: siteA, name: "Site A (test)",
                    location: SiteLocation(point: siteALocation, addressText: "Test Road 1, entrance A"),
                    screeningCapacity: capacityA),
                TrialSite(
                    siteID: siteB, name: "Site B (test)",
                    location: SiteLocation(point: siteBLocation, addressText: "Test Road 2, entrance B"),
                    screeningCapacity: capacityB),
            ],
            updatedAt: updatedAt,
            patientStatusTexts: [
                PatientStatusText(
                    state: .eligible, language: "es", summary: "Le hemos reservado una plaza en {site_name}.",
                    nextSteps: "El equipo de «{trial_title}» le llamará."),
                PatientStatusText(
                    state: .eligible, language: "en", summary: "A screening place is held for you at {site_name}.",
                    nextSteps: "The team of {trial_title} will call you."),
            ],
            adverseEventRules: adverseEventRules)
    }

    /// Writes the catalogue JSON to a temporary file; returns its path.
    static func write(
        capacityA: Int = 2, capacityB: Int = 0, adverseEventRules: AdverseEventRules = AdverseEventRules()
    ) throws -> String {
        let catalog = try TrialCatalog(
            trials: [trial(capacityA: capacityA, capacityB: capacityB, adverseEventRules: adverseEventRules)])
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("taw-catalog-\(UUID().uuidString).json").path
        try catalog.protoJSON().write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
