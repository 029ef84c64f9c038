import Foundation
import Logging
import Testing
import TransitStore

/// The stores the tests run against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }
}

/// One test's own database: a fresh SQLite file in a temporary folder, or a fresh PostgreSQL schema
/// (`test_<random>`, created and dropped with psql) put on the URL's search_path.
struct TestDatabase: Sendable {
    static let postgresURLVariable = "TRIALTRANSIT_TEST_POSTGRES_URL"

    let kind: StoreKind
    /// SQLite: the file. PostgreSQL: the URL with the test schema on its search_path.
    let location: String
    private let cleanupTarget: String

    static func make(_ kind: StoreKind) throws -> TestDatabase {
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        switch kind {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taw-test-\(suffix)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return TestDatabase(
                kind: kind, location: folder.appendingPathComponent("store.sqlite").path, cleanupTarget: folder.path)
        case .postgres:
            let base = try postgresBaseURL()
            let schema = "test_taw_\(suffix)"
            try psql(base, "CREATE SCHEMA \(schema)")
            let separator = base.contains("?") ? "&" : "?"
            return TestDatabase(
                kind: kind, location: base + separator + "options=-csearch_path%3D\(schema)", cleanupTarget: schema)
        }
    }

    /// The server URL; a PostgreSQL test fails (does not skip) without it.
    static func postgresBaseURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment[postgresURLVariable], !url.isEmpty else {
            Issue.record("\(postgresURLVariable) is not set: start a server with scripts/postgres start --data-dir DIR")
            throw TestSetupError(message: "no PostgreSQL URL")
        }
        return url
    }

    /// Runs one SQL statement with psql.
    static func psql(_ url: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSetupError(message: "psql failed (\(process.terminationStatus)): \(sql)")
        }
    }

    /// A new, migrated store instance on this database (several may be open at once).
    func open() async throws -> any TransitStore {
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

    func destroy() {
        switch kind {
        case .sqlite:
            try? FileManager.default.removeItem(atPath: cleanupTarget)
        case .postgres:
            if let base = try? Self.postgresBaseURL() {
                try? Self.psql(base, "DROP SCHEMA IF EXISTS \(cleanupTarget) CASCADE")
            }
        }
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
