/// A trial protocol's rules for reported adverse events (mirrors `trialtransit.v1.AdverseEventRules`).
/// What each grade leads to is in docs/TRIAL_ACCESS.md ("Adverse events").
public struct AdverseEventRules: Codable, Sendable, Hashable {
    /// Grade 2: the unscheduled safety visit takes place within this many hours of the report
    /// (1...``maxSafetyVisitWithinHours``; default 72).
    public var safetyVisitWithinHours: Int
    /// CTCAE terms (MedDRA codes) that permanently discontinue treatment at grade 2 or above.
    public var discontinuingTermCodes: [String]
    /// Visit codes of dosing visits, cancelled when treatment is discontinued (case-insensitive).
    public var dosingVisitCodes: [String]

    public init(
        safetyVisitWithinHours: Int = AdverseEventRules.defaultSafetyVisitWithinHours,
        discontinuingTermCodes: [String] = [], dosingVisitCodes: [String] = []
    ) {
        self.safetyVisitWithinHours = safetyVisitWithinHours
        self.discontinuingTermCodes = discontinuingTermCodes
        self.dosingVisitCodes = dosingVisitCodes
    }

    /// The safety-visit window when the catalogue does not give one, hours.
    public static let defaultSafetyVisitWithinHours = 72
    /// Longest safety-visit window, hours (two weeks).
    public static let maxSafetyVisitWithinHours = 336

    /// Whether `termCode` permanently discontinues treatment.
    public func discontinues(termCode: String) -> Bool { discontinuingTermCodes.contains(termCode) }

    /// Whether `visitCode` is a dosing visit.
    public func isDosingVisit(code visitCode: String) -> Bool {
        let code = visitCode.uppercased()
        return dosingVisitCodes.contains { $0.uppercased() == code }
    }

    /// A MedDRA code: 1 to 16 digits.
    public static func isTermCode(_ code: String) -> Bool {
        (1...16).contains(code.utf8.count) && code.utf8.allSatisfy { (48...57).contains($0) }
    }
}
