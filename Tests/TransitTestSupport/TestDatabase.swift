import Foundation
import Logging
import Testing
import TransitStore

/// The stores the tests run against.
public enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    public var testDescription: String { rawValue }
}

/// One test's own database: a fresh SQLite file in a temporary folder, or a fresh PostgreSQL schema
/// (``PostgresTestSchema``) put on the URL's search_path.
public struct TestDatabase: Sendable {
    public let kind: StoreKind
    /// SQLite: the file. PostgreSQL: the URL with the test schema on its search_path.
    public let location: String
    private let sqliteFolder: String?
    private let schema: PostgresTestSchema?

    public static func make(_ kind: StoreKind) async throws -> TestDatabase {
        switch kind {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("taw-test"))
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return TestDatabase(
                kind: kind, location: folder.appendingPathComponent("store.sqlite").path, sqliteFolder: folder.path,
                schema: nil)
        case .postgres:
            let schema = try await PostgresTestSchema.create("taw")
            return TestDatabase(kind: kind, location: schema.url, sqliteFolder: nil, schema: schema)
        }
    }

    /// A new, migrated store instance on this database (several may be open at once).
    public func open() async throws -> any TransitStore {
        var logger = Logger(label: "taw-test-store")
        logger.logLevel = .warning
        let store: any TransitStore =
            switch kind {
            case .sqlite: try SQLiteStore(path: location, logger: logger)
            case .postgres: try PostgresStore(url: location, logger: logger, connections: 2)
            }
        try await store.migrate()
        return store
    }

    /// Removes the database (a PostgreSQL schema in the background).
    public func destroy() {
        if let sqliteFolder { try? FileManager.default.removeItem(atPath: sqliteFolder) }
        schema?.dropInBackground()
    }
}
