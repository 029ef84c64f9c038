import Testing

@testable import TransitStore

@Suite("Schema migrations")
struct MigrationTests {
    @Test(arguments: StoreKind.allCases)
    func migrateTwiceAndReopen(kind: StoreKind) async throws {
        try await withStore(kind) { harness, store in
            try await store.migrate()  // withStore migrated once already
            try await store.transaction { tx in try tx.setState(namespace: "ns", key: "k", value: [1]) }
            try await store.close()

            let reopened = try harness.open()
            try await reopened.migrate()
            try await reopened.migrate()
            #expect(try await reopened.transaction { tx in try tx.state(namespace: "ns", key: "k") } == [1])
            try await reopened.close()

            // One row per applied version.
            let versions = try harness.countMigrationRows()
            #expect(versions == latestVersion(kind))
        }
    }

    @Test(arguments: StoreKind.allCases)
    func concurrentFirstMigrations(kind: StoreKind) async throws {
        let harness = try StoreHarness.make(kind)
        defer { harness.destroy() }
        let a = try harness.open()
        let b = try harness.open()
        async let first: Void = a.migrate()
        async let second: Void = b.migrate()
        _ = try await (first, second)
        try await a.transaction { tx in try tx.setCapacity(counter: "c", capacity: 1) }
        #expect(try await b.transaction { tx in try tx.counter("c")?.capacity } == 1)
        try await a.close()
        try await b.close()
    }

    @Test(arguments: StoreKind.allCases)
    func refusesASchemaNewerThanTheCode(kind: StoreKind) async throws {
        try await withStore(kind) { harness, store in
            try harness.executeRaw("INSERT INTO schema_migrations (version, applied_at) VALUES (\(latestVersion(kind) + 1), 0)")
            let error = await expectStoreError(.schema) { try await store.migrate() }
            #expect(error?.isTransient == false)
        }
    }

    @Test(arguments: StoreKind.allCases)
    func operationsBeforeMigrateFail(kind: StoreKind) async throws {
        let harness = try StoreHarness.make(kind)
        defer { harness.destroy() }
        let store = try harness.open()
        await #expect(throws: StoreError.self) {
            try await store.transaction { tx in try tx.state(namespace: "ns", key: "k") }
        }
        try await store.close()
    }

    private func latestVersion(_ kind: StoreKind) -> Int {
        switch kind {
        case .sqlite: SQLiteMigrations.all.latestVersion
        case .postgres: PostgresMigrations.all.latestVersion
        }
    }
}

extension StoreHarness {
    func countMigrationRows() throws -> Int {
        switch kind {
        case .sqlite:
            let connection = try SQLiteConnection(path: location)
            return try connection.withUncached("SELECT COUNT(*) FROM schema_migrations", operation: "test") { statement in
                _ = try statement.step()
                return Int(statement.int64(0))
            }
        case .postgres:
            let result = try PostgresConnection(url: location).execute("SELECT COUNT(*) FROM schema_migrations", operation: "test")
            return Int(result.text(0, 0)) ?? -1
        }
    }
}
