import TransitWire
import TrialAccess

@testable import TrialAccessWorker

extension StoredStateTests {
    /// A catalogue record stored as received, and the definition it stands for.
    static func storedCatalogRecord() throws -> ([UInt8], TrialAccess.TrialDefinition) {
        let record = Fixture.catalogRecord(capacityA: 3, capacityB: 1, updatedAt: now)
        return (LiveCatalogEntry.storedBytes(record), try record.domain())
    }
}
