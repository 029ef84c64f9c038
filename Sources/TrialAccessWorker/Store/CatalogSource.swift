import Synchronization
import TransitStore
import TransitWire
import TrialAccess

/// The catalogue a decision uses: the start-up file overlaid by the live entries stored from
/// `trial.catalog.v1` (a newer `updatedAt` wins; a tombstone removes the trial).
///
/// Every process of the worker reads the overlay from the shared store, so the process that
/// consumes the catalogue partition and the others agree. The overlay is cached per process under
/// the catalogue version token (one counter read per input); a change writes a new random token in
/// the same transaction, so a rolled-back change can never be mistaken for a committed one.
final class CatalogSource: Sendable {
    /// The catalogue loaded at start.
    let base: TrialCatalog
    private let cache = Mutex<(version: Int, catalog: TrialCatalog)?>(nil)

    init(base: TrialCatalog) {
        self.base = base
    }

    /// The catalogue as of this transaction.
    func current(in transaction: any StoreTransaction) throws -> TrialCatalog {
        guard let version = try transaction.counter(StateKeys.catalogVersionCounter)?.capacity else { return base }
        if let cached = cache.withLock({ $0 }), cached.version == version { return cached.catalog }
        let catalog = try overlaid(in: transaction)
        cache.withLock { $0 = (version, catalog) }
        return catalog
    }

    /// Stores a live entry (a definition as received, or nil for a tombstone) and marks the
    /// catalogue changed.
    func store(_ definition: TransitWire.TrialDefinition?, trialID: String, in transaction: any StoreTransaction) throws {
        try transaction.setState(
            namespace: StateKeys.catalog, key: trialID, value: LiveCatalogEntry.storedBytes(definition))
        try transaction.setCapacity(counter: StateKeys.catalogVersionCounter, capacity: Int.random(in: 1...Int.max))
    }

    private func overlaid(in transaction: any StoreTransaction) throws -> TrialCatalog {
        var catalog = base
        for trialID in try transaction.stateKeys(namespace: StateKeys.catalog, prefix: "") {
            guard let bytes = try transaction.state(namespace: StateKeys.catalog, key: trialID) else { continue }
            let entry = try LiveCatalogEntry(storedBytes: bytes)
            if let trial = entry.trial {
                // Stored entries were validated before they were stored.
                _ = try? catalog.upsert(trial)
            } else {
                catalog.remove(trialID: trialID)
            }
        }
        return catalog
    }
}
