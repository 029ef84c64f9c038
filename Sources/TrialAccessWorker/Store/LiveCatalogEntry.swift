import TransitRuntime
import TransitWire
import TrialAccess

/// A catalogue record from `trial.catalog.v1`, as kept in the store.
struct LiveCatalogEntry: Sendable, Hashable {
    /// The definition; nil for a tombstone (the trial was removed).
    var trial: TrialAccess.TrialDefinition?
}
