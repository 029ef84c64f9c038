extension CatalogValidator {
    /// A language is a lower-case primary subtag of 2 or 3 letters; one text per (state,
    /// language); summary given; both within their lengths; only the known placeholders.
    static func patientStatusTextIssues(in trial: TrialDefinition, _ add: (String, String) -> Void) {
        var seen: Set<String> = []
        for (index, text) in trial.patientStatusTexts.enumerated() {
            let field = "patientStatusTexts[\(index)]"
            let isLanguage = (2...3).contains(text.language.utf8.count) && text.language.utf8.allSatisfy { (97...122).contains($0) }
            if !isLanguage {
                add("\(field).language", "\"\(text.language)\" is not a lower-case primary language subtag (e.g. es, en)")
            } else if !seen.insert("\(text.state.rawValue)/\(text.language)").inserted {
                add("\(field)", "a second text for state \(text.state.rawValue) in \"\(text.language)\"")
            }
            if text.summary.trimmingWhitespace.isEmpty { add("\(field).summary", "is empty") }
            for (name, value, limit) in [
                ("summary", text.summary, PatientStatusText.maxSummaryLength),
                ("nextSteps", text.nextSteps, PatientStatusText.maxNextStepsLength),
            ] {
                if value.count > limit { add("\(field).\(name)", "is longer than \(limit) characters") }
                if let unknown = unknownPlaceholder(in: value) {
                    add("\(field).\(name)", "placeholder \(unknown) is not one of \(PatientStatusText.placeholders.joined(separator: ", "))")
                }
            }
        }
    }

    /// The first `{…}` in `text` that is not a known placeholder.
    private static func unknownPlaceholder(in text: String) -> String? {
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { return String(rest[open...]) }
            let placeholder = String(rest[open...close])
            if !PatientStatusText.placeholders.contains(placeholder) { return placeholder }
            rest = rest[rest.index(after: close)...]
        }
        return nil
    }
}
