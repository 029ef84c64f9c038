/// Who reported an adverse event (mirrors `trialtransit.v1.AdverseEventReporter`).
public enum AdverseEventReporter: String, ProtoEnumMirror {
    case patientApp = "patient-app"
    case site
    case caregiver
}

/// An adverse event was reported (mirrors `AdverseEventReported`). Coded only: the CTCAE term as
/// its MedDRA code and the CTCAE grade. Neither may appear in logs or on any transport or partner
/// topic; the decider puts neither in an output or an audit note.
public struct AdverseEventReport: Sendable, Hashable {
    /// Trial the patient is in.
    public var trialID: String
    /// CTCAE term, MedDRA code (digits), e.g. "10009887" (colitis).
    public var termCode: String
    /// CTCAE grade 1-5.
    public var grade: Int
    /// When the event began, unix ms; nil = not known.
    public var onsetAt: Int64?
    public var reporter: AdverseEventReporter

    public init(trialID: String, termCode: String, grade: Int, onsetAt: Int64? = nil, reporter: AdverseEventReporter) {
        self.trialID = trialID
        self.termCode = termCode
        self.grade = grade
        self.onsetAt = onsetAt
        self.reporter = reporter
    }

    /// CTCAE grades.
    public static let grades = 1...5
}
