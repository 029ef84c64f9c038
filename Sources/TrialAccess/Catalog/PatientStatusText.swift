/// Plain-language text for a patient in one enrollment state, in one language, from the trial's
/// catalogue entry (mirrors `trialtransit.v1.PatientStatusText`). `{trial_title}` and
/// `{site_name}` are filled in by ``TrialDefinition/patientSummary(for:language:)``.
public struct PatientStatusText: Sendable, Hashable {
    /// The state this text describes.
    public var state: EnrollmentState
    /// Primary language subtag, lower case ("es", "en").
    public var language: String
    /// Where the patient stands.
    public var summary: String
    /// What happens next.
    public var nextSteps: String

    public init(state: EnrollmentState, language: String, summary: String, nextSteps: String) {
        self.state = state
        self.language = language
        self.summary = summary
        self.nextSteps = nextSteps
    }

    /// The placeholders a text may use.
    public static let placeholders = ["{trial_title}", "{site_name}"]
    /// Longest summary, in characters.
    public static let maxSummaryLength = 400
    /// Longest next steps, in characters.
    public static let maxNextStepsLength = 600
}

/// A ``PatientStatusText`` with its placeholders filled in, for one enrollment.
public struct PatientStatusSummary: Sendable, Hashable {
    /// Language of the text (primary subtag).
    public var language: String
    public var summary: String
    public var nextSteps: String
}

extension TrialDefinition {
    /// The text for `enrollment`'s state in the first language that has one: `language` (a BCP 47
    /// tag; its primary subtag counts), the patient's language from the referral, then English.
    /// Nil when none of them has a text for that state.
    public func patientSummary(for enrollment: Enrollment, language: String?) -> PatientStatusSummary? {
        let candidates = [language, enrollment.travelProfile.language, "en"].compactMap { $0.map(Self.primaryLanguage) }
        for candidate in candidates {
            guard let text = patientStatusTexts.first(where: { $0.state == enrollment.state && $0.language == candidate })
            else { continue }
            let siteName = enrollment.siteID.flatMap { site(id: $0)?.name } ?? ""
            func fill(_ template: String) -> String {
                template.replacingPlaceholder("{trial_title}", with: title).replacingPlaceholder("{site_name}", with: siteName)
            }
            return PatientStatusSummary(language: text.language, summary: fill(text.summary), nextSteps: fill(text.nextSteps))
        }
        return nil
    }

    /// "es-ES" → "es", "EN" → "en".
    static func primaryLanguage(_ tag: String) -> String {
        String(tag.split(separator: "-", maxSplits: 1).first ?? "").lowercased()
    }
}

extension String {
    fileprivate func replacingPlaceholder(_ placeholder: String, with value: String) -> String {
        split(separator: placeholder, omittingEmptySubsequences: false).joined(separator: value)
    }
}
