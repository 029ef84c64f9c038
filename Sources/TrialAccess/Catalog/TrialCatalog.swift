import Foundation

/// What ``TrialCatalog/upsert(_:)`` did.
public enum CatalogChange: Sendable, Hashable {
    /// A new trial.
    case inserted
    /// The trial replaced one with the same or an older `updatedAt`.
    case replaced
    /// The held definition is newer; the incoming one was dropped.
    case ignoredStale
}

/// The trials patients can be matched to, by trial id. Loaded at start from a JSON file
/// (``load(json:)``) and kept current from the compacted topic `trial.catalog.v1`
/// (``upsert(_:)`` for a value, ``remove(trialID:)`` for a tombstone). Every definition in it
/// passed validation.
public struct TrialCatalog: Sendable, Hashable {
    private var trialsByID: [String: TrialDefinition]

    /// An empty catalogue.
    public init() { trialsByID = [:] }

    /// A catalogue of `trials`; throws ``CatalogError/invalid(_:)`` listing every issue (duplicate
    /// ids included) and keeps nothing when any trial is invalid.
    public init(trials: [TrialDefinition]) throws(CatalogError) {
        var issues: [CatalogIssue] = []
        var byID: [String: TrialDefinition] = [:]
        for trial in trials {
            issues += CatalogValidator.issues(in: trial)
            if byID.updateValue(trial, forKey: trial.trialID) != nil {
                issues.append(
                    CatalogIssue(trialID: trial.trialID, field: "trialId", problem: "appears twice in the catalogue"))
            }
        }
        guard issues.isEmpty else { throw .invalid(issues) }
        trialsByID = byID
    }

    /// Every trial, sorted by id.
    public var trials: [TrialDefinition] { trialsByID.keys.sorted().compactMap { trialsByID[$0] } }

    /// The trial with this id.
    public func trial(id: String) -> TrialDefinition? { trialsByID[id] }

    /// Inserts or replaces `trial` unless the held definition is newer (`updatedAt`). Throws
    /// ``CatalogError/invalid(_:)`` (and changes nothing) when the definition breaks a rule.
    @discardableResult
    public mutating func upsert(_ trial: TrialDefinition) throws(CatalogError) -> CatalogChange {
        let issues = CatalogValidator.issues(in: trial)
        guard issues.isEmpty else { throw .invalid(issues) }
        guard let held = trialsByID[trial.trialID] else {
            trialsByID[trial.trialID] = trial
            return .inserted
        }
        guard trial.updatedAt >= held.updatedAt else { return .ignoredStale }
        trialsByID[trial.trialID] = trial
        return .replaced
    }

    /// Removes a trial (a tombstone on the compacted topic); returns what was removed.
    @discardableResult
    public mutating func remove(trialID: String) -> TrialDefinition? { trialsByID.removeValue(forKey: trialID) }

    /// The issues that would make ``upsert(_:)`` refuse `trial` (empty when it is valid).
    public static func validate(_ trial: TrialDefinition) -> [CatalogIssue] { CatalogValidator.issues(in: trial) }
}
