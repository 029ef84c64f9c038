/// One problem found in a trial definition.
public struct CatalogIssue: Sendable, Hashable, CustomStringConvertible {
    /// Trial the problem is in ("" when the trial id itself is missing).
    public var trialID: String
    /// Field path in the JSON format, e.g. `sites[1].location.point.latitude`.
    public var field: String
    /// What is wrong.
    public var problem: String

    public init(trialID: String, field: String, problem: String) {
        self.trialID = trialID
        self.field = field
        self.problem = problem
    }

    public var description: String { "\(trialID.isEmpty ? "(no trial id)" : trialID): \(field): \(problem)" }
}

/// Why a catalogue (or one trial definition) was refused. Nothing of the refused input is applied.
public enum CatalogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The JSON does not parse or does not have the expected shape; the text names the path.
    case malformedJSON(String)
    /// The JSON parses, but definitions break rules (every issue is listed).
    case invalid([CatalogIssue])

    public var description: String {
        switch self {
        case .malformedJSON(let detail): "catalogue JSON is malformed: \(detail)"
        case .invalid(let issues): "catalogue is invalid: " + issues.map(\.description).joined(separator: "; ")
        }
    }
}
