import Foundation
@testable import TransitStore

/// A schema of one test's own on the test PostgreSQL server, selected through the URL's
/// search_path and dropped afterwards. The SQL runs on a thread of its own (libpq blocks), never on
/// Swift's cooperative pool.
public struct PostgresTestSchema: Sendable {
    /// The server URL the schema lives on.
    public let server: String
    /// The schema's name (`test_<prefix>_<random>`).
    public let name: String

    /// The URL that selects this schema (`options=-csearch_path=<name>`).
    public var url: String { Self.url(server, schema: name) }

    /// Creates a fresh schema on the server named by `TRIALTRANSIT_TEST_POSTGRES_URL`.
    public static func create(_ prefix: String = "t") async throws -> PostgresTestSchema {
        let server = try TestEnvironment.postgresURL
        let name = "test_\(prefix)_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        try await execute("CREATE SCHEMA \(name)", on: server)
        return PostgresTestSchema(server: server, name: name)
    }

    /// Drops the schema and everything in it.
    public func drop() async throws {
        try await Self.execute("DROP SCHEMA IF EXISTS \(name) CASCADE", on: server)
    }

    /// Drops the schema on a thread of its own without waiting for it (for `defer` blocks, which
    /// cannot await). Each test has a schema of its own, so a drop still running harms nothing;
    /// the test process waits for drops still running when it exits (``BackgroundDrops``), as
    /// libpq torn down under a running call aborts the process.
    public func dropInBackground() {
        let (sql, server) = ("DROP SCHEMA IF EXISTS \(name) CASCADE", self.server)
        BackgroundDrops.run { _ = try? PostgresConnection(url: server).execute(sql, operation: "test cleanup") }
    }

    /// Runs `sql` in this schema.
    public func execute(_ sql: String) async throws {
        try await Self.execute(sql, on: url)
    }

    /// `base` with `schema` on its search_path (and `extra` query text appended).
    public static func url(_ base: String, schema: String, extra: String = "") -> String {
        base + (base.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(schema)" + extra
    }

    /// Runs one statement on a connection of its own, on a thread of its own.
    public static func execute(_ sql: String, on url: String) async throws {
        try await onOwnThread {
            _ = try PostgresConnection(url: url).execute(sql, operation: "test setup")
        }
    }
}

/// Runs blocking work on a new thread and resumes with its result: for the few blocking calls of
/// test set-up (libpq, waitpid) that must not hold a thread of the cooperative pool.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}

/// Clean-up work running on threads of its own; the process waits for it at exit (up to 30 s).
enum BackgroundDrops {
    private static let group = DispatchGroup()
    private static let installed: Void = {
        atexit { _ = BackgroundDrops.group.wait(timeout: .now() + 30) }
    }()

    static func run(_ work: @escaping @Sendable () -> Void) {
        _ = installed
        group.enter()
        Thread {
            work()
            group.leave()
        }.start()
    }
}
