/// A ``SlotLedger`` in memory, for tests and single-process demos. Never over-books.
public struct InMemorySlotLedger: SlotLedger, Sendable, Hashable {
    private var capacities: [SlotKey: Int]
    private var used: [SlotKey: Int] = [:]

    /// A ledger with the given capacity per trial site; unknown sites have capacity 0.
    public init(capacities: [SlotKey: Int] = [:]) {
        self.capacities = capacities
    }

    /// A ledger with every site's ``TrialSite/screeningCapacity`` from `catalog`.
    public init(catalog: TrialCatalog) {
        self.init()
        syncCapacities(from: catalog)
    }

    /// Copies every site's capacity from `catalog` (slots in use are kept, even above a lowered capacity).
    public mutating func syncCapacities(from catalog: TrialCatalog) {
        for trial in catalog.trials {
            for site in trial.sites {
                capacities[SlotKey(trialID: trial.trialID, siteID: site.siteID)] = site.screeningCapacity
            }
        }
    }

    /// Sets one site's capacity.
    public mutating func setCapacity(_ capacity: Int, trialID: String, siteID: String) {
        capacities[SlotKey(trialID: trialID, siteID: siteID)] = capacity
    }

    /// Capacity of a site (0 when unknown).
    public func capacity(trialID: String, siteID: String) -> Int {
        capacities[SlotKey(trialID: trialID, siteID: siteID)] ?? 0
    }

    /// Slots in use at a site.
    public func inUse(trialID: String, siteID: String) -> Int {
        used[SlotKey(trialID: trialID, siteID: siteID)] ?? 0
    }

    /// Free slots at a site.
    public func available(trialID: String, siteID: String) -> Int {
        max(0, capacity(trialID: trialID, siteID: siteID) - inUse(trialID: trialID, siteID: siteID))
    }

    public mutating func reserve(trialID: String, siteID: String) -> Bool {
        guard available(trialID: trialID, siteID: siteID) > 0 else { return false }
        used[SlotKey(trialID: trialID, siteID: siteID), default: 0] += 1
        return true
    }

    public mutating func release(trialID: String, siteID: String) {
        let key = SlotKey(trialID: trialID, siteID: siteID)
        guard let count = used[key], count > 0 else { return }
        used[key] = count - 1
    }
}
