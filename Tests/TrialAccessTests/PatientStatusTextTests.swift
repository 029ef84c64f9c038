import Testing
import TrialAccess

/// GetEnrollment's plain-language summary: the trial's text for the enrollment's state, in the
/// language asked for, else the patient's (the fixtures' referral says "nl"), else English.
@Suite struct PatientStatusTextTests {
    static let texts = [
        PatientStatusText(
            state: .eligible, language: "es", summary: "Plaza reservada en {site_name} para «{trial_title}».",
            nextSteps: "El hospital le llamará."),
        PatientStatusText(
            state: .eligible, language: "en", summary: "A place is held for you at {site_name}.",
            nextSteps: "The hospital will call you about {trial_title}."),
        PatientStatusText(state: .eligible, language: "nl", summary: "Er is een plaats voor u in {site_name}.", nextSteps: ""),
        PatientStatusText(state: .waitlisted, language: "en", summary: "You are on the waiting list.", nextSteps: "Nothing to do."),
    ]

    static func trial(in harness: Harness) throws -> TrialDefinition {
        var trial = try #require(harness.catalog.trial(id: Fixture.trialID))
        trial.patientStatusTexts = texts
        return trial
    }

    @Test func theLanguageAskedForWinsByItsPrimarySubtagAndPlaceholdersAreFilled() throws {
        let harness = try Harness.subject(in: .eligible)
        let enrollment = try #require(harness.enrollment(Harness.subject))
        let summary = try #require(try Self.trial(in: harness).patientSummary(for: enrollment, language: "es-ES"))
        #expect(summary.language == "es")
        #expect(summary.summary == "Plaza reservada en Site A para «Test trial \(Fixture.trialID)».")
        #expect(summary.nextSteps == "El hospital le llamará.")
    }

    @Test func withoutALanguageTheReferralsLanguageIsUsedThenEnglish() throws {
        let harness = try Harness.subject(in: .eligible)
        let enrollment = try #require(harness.enrollment(Harness.subject))
        let trial = try Self.trial(in: harness)
        #expect(trial.patientSummary(for: enrollment, language: nil)?.language == "nl")
        #expect(trial.patientSummary(for: enrollment, language: "fr")?.language == "nl")

        var englishOnly = trial
        englishOnly.patientStatusTexts.removeAll { $0.language == "nl" }
        let english = try #require(englishOnly.patientSummary(for: enrollment, language: "fr"))
        #expect(english.language == "en")
        #expect(english.nextSteps == "The hospital will call you about Test trial \(Fixture.trialID).")
    }

    @Test func aStateWithoutTextHasNoSummaryAndASiteNotChosenYetIsBlank() throws {
        let ineligible = try Harness.subject(in: .ineligible)
        let enrollment = try #require(ineligible.enrollment(Harness.subject))
        #expect(try Self.trial(in: ineligible).patientSummary(for: enrollment, language: "en") == nil)

        let waitlisted = try Harness.subject(in: .waitlisted)
        let waiting = try #require(waitlisted.enrollment(Harness.subject))
        #expect(try Self.trial(in: waitlisted).patientSummary(for: waiting, language: "es")?.summary == "You are on the waiting list.")
    }

    @Test func theCatalogueRefusesBadTexts() throws {
        var trial = try Self.trial(in: try Harness.standard())
        #expect(TrialCatalog.validate(trial).isEmpty, "\(TrialCatalog.validate(trial))")
        trial.patientStatusTexts += [
            PatientStatusText(state: .eligible, language: "es", summary: "Otra vez.", nextSteps: ""),
            PatientStatusText(state: .screening, language: "es-ES", summary: "Cribado.", nextSteps: ""),
            PatientStatusText(state: .screening, language: "en", summary: " ", nextSteps: "Call {patient_name}."),
            PatientStatusText(state: .onStudy, language: "en", summary: String(repeating: "a", count: 401), nextSteps: ""),
        ]
        let issues = TrialCatalog.validate(trial).map { "\($0.field): \($0.problem)" }
        #expect(issues.count == 5, "\(issues)")
        #expect(issues.contains { $0.hasPrefix("patientStatusTexts[4]: a second text for state eligible") })
        #expect(issues.contains { $0.hasPrefix("patientStatusTexts[5].language:") })
        #expect(issues.contains("patientStatusTexts[6].summary: is empty"))
        #expect(issues.contains { $0.hasPrefix("patientStatusTexts[6].nextSteps: placeholder {patient_name}") })
        #expect(issues.contains("patientStatusTexts[7].summary: is longer than 400 characters"))
    }
}
