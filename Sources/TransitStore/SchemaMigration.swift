/// One versioned step of a store's schema. Versions start at 1 and increase by one; each step
/// runs once, in the migration transaction, and is recorded in `schema_migrations`.
struct SchemaMigration: Sendable {
    var version: Int
    var name: String
    var statements: [String]
}

extension [SchemaMigration] {
    /// The newest version these migrations reach.
    var latestVersion: Int { map(\.version).max() ?? 0 }

    /// Throws when the database was migrated by a newer program; else the steps still to run.
    func pending(after current: Int, store: String) throws -> [SchemaMigration] {
        guard current <= latestVersion else {
            throw StoreError(
                code: .schema,
                message: "\(store) schema version \(current) is newer than this program supports (\(latestVersion)); upgrade the program")
        }
        return filter { $0.version > current }.sorted { $0.version < $1.version }
    }
}
