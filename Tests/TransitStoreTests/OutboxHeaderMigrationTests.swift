import Testing

@testable import TransitStore

/// Outbox rows whose headers an earlier version wrote in the varint format are marked by the
/// migration and read through the new code; new rows are protobuf.
@Suite("Outbox header migration")
struct OutboxHeaderMigrationTests {
    @Test(arguments: StoreKind.allCases)
    func oldHeaderRowsAreReadAfterTheMigration(kind: StoreKind) async throws {
        try await withStore(kind) { harness, store in
            try await store.close()
            // Back to the schema before the step, with rows the old code wrote.
            let version = SchemaMigration.outboxHeadersMarkedVersion
            try harness.executeRaw("DELETE FROM schema_migrations WHERE version >= \(version)")
            // Undone with it: the later step that adds partition claims.
            try harness.executeRaw("DROP TABLE partition_claims")
            for column in ["claim_group", "claim_topic", "claim_partition", "claim_epoch"] {
                try harness.executeRaw("ALTER TABLE outbox DROP COLUMN \(column)")
            }
            // headers "ab" = [7] and "c" = [], in the varint format; and no headers.
            let old = "020261620107016300"
            let blob = { (hex: String) in kind == .sqlite ? "X'\(hex)'" : "'\\x\(hex)'::bytea" }
            try harness.executeRaw(
                "INSERT INTO outbox (topic, key, value, headers, created_at) VALUES ('t', NULL, \(blob("01")), \(blob(old)), 0)")
            try harness.executeRaw(
                "INSERT INTO outbox (topic, key, value, headers, created_at) VALUES ('t', NULL, \(blob("02")), \(blob("")), 0)")

            let migrated = try harness.open()
            try await migrated.migrate()
            try await migrated.transaction { tx in
                try tx.enqueue([OutboxMessage(topic: "t", key: nil, value: [3], headers: [OutboxHeader(name: "d", value: [4])])])
            }
            let pending = try await migrated.pendingOutbox(limit: 10)
            try await migrated.close()
            #expect(pending.map(\.value) == [[1], [2], [3]])
            #expect(pending.map(\.headers) == [
                [OutboxHeader(name: "ab", value: [7]), OutboxHeader(name: "c", value: [])], [],
                [OutboxHeader(name: "d", value: [4])],
            ])
        }
    }
}
