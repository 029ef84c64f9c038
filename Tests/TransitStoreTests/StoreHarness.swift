import Foundation
import Logging
import Testing

@testable import TransitStore

/// The stores every shared test runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }
}

/// Where one test's database lives: a fresh SQLite file in a temporary folder, or a fresh
/// PostgreSQL schema (`test_<random>`, dropped afterwards) selected through the URL's search_path.
struct StoreHarness: Sendable {
    static let postgresURLVariable = "TRIALTRANSIT_TEST_POSTGRES_URL"

    let kind: StoreKind
    /// SQLite: the database file. PostgreSQL: the URL with the test schema on its search_path.
    let location: String
    private let cleanupTarget: String

    static func make(_ kind: StoreKind) throws -> StoreHarness {
        let suffix = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        switch kind {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("transit-store-test-\(suffix)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return StoreHarness(kind: kind, location: folder.appendingPathComponent("store.sqlite").path, cleanupTarget: folder.path)
        case .postgres:
            let base = try postgresBaseURL()
            let schema = "test_\(suffix)"
            try withAdminConnection { try $0.execute("CREATE SCHEMA \(schema)", operation: "create test schema") }
            return StoreHarness(kind: kind, location: postgresURL(base, schema: schema), cleanupTarget: schema)
        }
    }

    /// The server URL from the environment; a test fails (does not skip) when it is missing.
    static func postgresBaseURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment[postgresURLVariable], !url.isEmpty else {
            Issue.record(
                """
                \(postgresURLVariable) is not set: PostgreSQL store tests need a server. scripts/test starts one; \
                for a manual run: scripts/postgres start --data-dir /tmp/pg-dev, then export \(postgresURLVariable)=<printed URL>
                """)
            throw MissingPostgresURL()
        }
        return url
    }

    static func postgresURL(_ base: String, schema: String, extra: String = "") -> String {
        let separator = base.contains("?") ? "&" : "?"
        return base + separator + "options=-csearch_path%3D\(schema)" + extra
    }

    @discardableResult
    static func withAdminConnection<R>(_ body: (PostgresConnection) throws -> R) throws -> R {
        try body(PostgresConnection(url: try postgresBaseURL()))
    }

    /// A new store instance on this test's database (several may be open at once).
    /// PostgreSQL: `connections` per instance (1 by default, so that the many tests running in
    /// parallel stay well below the server's max_connections).
    func open(connections: Int = 1) throws -> any TransitStore {
        var logger = Logger(label: "transit-store-test")
        logger.logLevel = .warning
        switch kind {
        case .sqlite: return try SQLiteStore(path: location, logger: logger)
        case .postgres: return try PostgresStore(url: location, logger: logger, connections: connections)
        }
    }

    /// Opens a store and migrates it.
    func openMigrated(connections: Int = 1) async throws -> any TransitStore {
        let store = try open(connections: connections)
        try await store.migrate()
        return store
    }

    /// Runs raw SQL on this test's database, outside any store (to fake a newer schema, say).
    func executeRaw(_ sql: String) throws {
        switch kind {
        case .sqlite:
            let connection = try SQLiteConnection(path: location)
            try connection.execute(sql, operation: "test SQL")
        case .postgres:
            try PostgresConnection(url: location).execute(sql, operation: "test SQL")
        }
    }

    func destroy() {
        switch kind {
        case .sqlite:
            try? FileManager.default.removeItem(atPath: cleanupTarget)
        case .postgres:
            _ = try? Self.withAdminConnection {
                try $0.execute("DROP SCHEMA IF EXISTS \(cleanupTarget) CASCADE", operation: "drop test schema")
            }
        }
    }
}

/// Runs `body` with a migrated store on a fresh database; closes the store and removes the
/// database afterwards, also when `body` throws.
func withStore(
    _ kind: StoreKind, connections: Int = 1, _ body: (StoreHarness, any TransitStore) async throws -> Void
) async throws {
    let harness = try StoreHarness.make(kind)
    defer { harness.destroy() }
    let store = try await harness.openMigrated(connections: connections)
    do {
        try await body(harness, store)
    } catch {
        try? await store.close()
        throw error
    }
    try await store.close()
}

/// Expects `body` to throw a ``StoreError`` with `code`; returns it.
@discardableResult
func expectStoreError(
    _ code: StoreError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
) async -> StoreError? {
    do {
        try await body()
        Issue.record("expected StoreError(\(code)), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as StoreError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected StoreError(\(code)), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

struct TestFailure: Error {}

struct MissingPostgresURL: Error {}

/// A one-shot signal between two store threads (transaction bodies run on the store's threads,
/// where blocking is allowed). Waits give up after 10 s so a broken test fails instead of hanging.
final class Gate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)

    func open() { semaphore.signal() }

    func wait() {
        if semaphore.wait(timeout: .now() + 10) == .timedOut { Issue.record("gate not opened within 10 s") }
    }
}
