import Testing
import TrialAccess

/// The catalogue's rules (the file format is read by TrialAccessWorker: CatalogFileTests there).
@Suite("Catalogue")
struct CatalogTests {
    @Test("upsert inserts, replaces with newer or equal, ignores older, refuses invalid; remove deletes")
    func liveUpdates() throws {
        var catalog = TrialCatalog()
        let site = Fixture.site("A", Place.amsterdam, capacity: 2)
        let v1 = Fixture.trial("NCT1", sites: [site], updatedAt: 100)
        let inserted = try catalog.upsert(v1)
        #expect(inserted == .inserted)
        var v2 = v1
        v2.title = "Renamed"
        v2.updatedAt = 200
        let replaced = try catalog.upsert(v2)
        #expect(replaced == .replaced)
        let stale = try catalog.upsert(v1)
        #expect(stale == .ignoredStale)
        #expect(catalog.trial(id: "NCT1")?.title == "Renamed")
        let replacedAgain = try catalog.upsert(v2)
        #expect(replacedAgain == .replaced)
        var broken = v2
        broken.updatedAt = 300
        broken.title = ""
        #expect(throws: CatalogError.self) { try catalog.upsert(broken) }
        #expect(catalog.trial(id: "NCT1")?.title == "Renamed")
        let removed = catalog.remove(trialID: "NCT1")
        #expect(removed?.title == "Renamed")
        #expect(catalog.trials.isEmpty)
        let removedAgain = catalog.remove(trialID: "NCT1")
        #expect(removedAgain == nil)
    }

    @Test("the in-memory ledger never over-books and never goes below zero")
    func inMemoryLedger() throws {
        var ledger = InMemorySlotLedger(capacities: [SlotKey(trialID: "T", siteID: "S"): 2])
        let first = ledger.reserve(trialID: "T", siteID: "S")
        #expect(first)
        let second = ledger.reserve(trialID: "T", siteID: "S")
        #expect(second)
        let third = ledger.reserve(trialID: "T", siteID: "S")
        #expect(!third)
        let unknownSite = ledger.reserve(trialID: "T", siteID: "unknown")
        #expect(!unknownSite)
        ledger.release(trialID: "T", siteID: "S")
        ledger.release(trialID: "T", siteID: "S")
        ledger.release(trialID: "T", siteID: "S")
        #expect(ledger.inUse(trialID: "T", siteID: "S") == 0)
        #expect(ledger.available(trialID: "T", siteID: "S") == 2)
        let catalog = try TrialCatalog(trials: [Fixture.trial("NCT1", sites: [Fixture.site("A", Place.amsterdam, capacity: 3)])])
        let synced = InMemorySlotLedger(catalog: catalog)
        #expect(synced.capacity(trialID: "NCT1", siteID: "A") == 3)
    }
}
