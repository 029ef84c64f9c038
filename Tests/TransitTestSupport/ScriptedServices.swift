import Foundation
import TransitKafka

#if canImport(Glibc)
import Glibc
#endif

/// Runs a command and returns its standard output; throws when it fails. Blocks: call it through
/// ``onOwnThread(_:)`` from async code.
///
/// Uses `posix_spawn` and `waitpid` directly: Foundation's `Process.waitUntilExit` was seen to miss
/// the exit of a short-lived script that leaves a daemon behind (`scripts/broker start`).
public func runCommand(_ executable: String, _ arguments: [String]) throws -> String {
    var pipe: [Int32] = [0, 0]
    guard Glibc.pipe(&pipe) == 0 else { throw CommandFailure(description: "pipe failed") }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
    posix_spawn_file_actions_addclose(&actions, pipe[0])
    posix_spawn_file_actions_addclose(&actions, pipe[1])  // else a daemon the command leaves behind keeps the pipe open
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    close(pipe[1])
    guard spawned == 0 else {
        close(pipe[0])
        throw CommandFailure(description: "cannot start \(executable): \(String(cString: strerror(spawned)))")
    }
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = read(pipe[0], &buffer, buffer.count)
        if count <= 0 { break }
        output += buffer[0..<count]
    }
    close(pipe[0])
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let exitCode = (status >> 8) & 0xFF
    guard status & 0x7F == 0, exitCode == 0 else {
        throw CommandFailure(description: "\(executable) \(arguments.joined(separator: " ")) failed (status \(status))")
    }
    return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

public struct CommandFailure: Error, CustomStringConvertible {
    public var description: String
}

/// A broker of a test's own, started with `scripts/broker` on a fresh data directory, so that the
/// test can restart it without disturbing other tests.
public struct OwnBroker: Sendable {
    public let dataDirectory: String
    public let address: String

    public var client: KafkaClientConfiguration { .localBroker([address]) }

    public static func start() async throws -> OwnBroker {
        let directory = NSTemporaryDirectory() + "trialtransit-broker-\(UInt64.random(in: 0...UInt64.max))"
        let address = try await onOwnThread {
            try runCommand(TestEnvironment.repositoryRoot + "/scripts/broker", ["start", "--data-dir", directory])
        }
        return OwnBroker(dataDirectory: directory, address: address)
    }

    /// Graceful stop (the broker saves its topics), then start on the same data directory and port.
    public func restart() async throws {
        try await stopKeepingData()
        try await startAgain()
    }

    /// Graceful stop that keeps the data directory (start it again with ``startAgain()``).
    public func stopKeepingData() async throws {
        let directory = dataDirectory
        _ = try await onOwnThread {
            try runCommand(TestEnvironment.repositoryRoot + "/scripts/broker", ["stop", "--data-dir", directory])
        }
    }

    /// Starts the broker again on its data directory and port.
    public func startAgain() async throws {
        let directory = dataDirectory
        _ = try await onOwnThread {
            try runCommand(TestEnvironment.repositoryRoot + "/scripts/broker", ["start", "--data-dir", directory])
        }
    }

    /// Stops the broker and removes its data.
    public func stop() async {
        let directory = dataDirectory
        _ = try? await onOwnThread {
            _ = try? runCommand(TestEnvironment.repositoryRoot + "/scripts/broker", ["stop", "--data-dir", directory])
            try? FileManager.default.removeItem(atPath: directory)
        }
    }
}

/// A database of a test's own on the test PostgreSQL server, dropped afterwards.
public struct PostgresTestDatabase: Sendable {
    public let url: String
    public let server: String
    public let name: String

    public static func create() async throws -> PostgresTestDatabase {
        let server = try TestEnvironment.postgresURL
        let name = "test_\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        try await PostgresTestSchema.execute("CREATE DATABASE \(name)", on: server)
        let base = server.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return PostgresTestDatabase(url: base + "/" + name, server: server, name: name)
    }

    public func drop() async throws {
        try await PostgresTestSchema.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", on: server)
    }
}

/// A PostgreSQL server of a test's own, started with `scripts/postgres` on a fresh data directory,
/// so that the test can stop and start it (a store outage) without disturbing other tests.
public struct OwnPostgres: Sendable {
    public let dataDirectory: String
    /// `postgres://postgres@127.0.0.1:PORT/postgres`; the same after ``startAgain()``.
    public let url: String

    public static func start() async throws -> OwnPostgres {
        // The postgres user must reach the folder: not a private temporary folder.
        let directory = "/tmp/trialtransit-postgres-\(UInt64.random(in: 0...UInt64.max))"
        let url = try await onOwnThread {
            try runCommand(TestEnvironment.repositoryRoot + "/scripts/postgres", ["start", "--data-dir", directory])
        }
        return OwnPostgres(dataDirectory: directory, url: url)
    }

    /// Stops the server, keeping its data (start it again with ``startAgain()``).
    public func stopKeepingData() async throws {
        let directory = dataDirectory
        _ = try await onOwnThread {
            try runCommand(TestEnvironment.repositoryRoot + "/scripts/postgres", ["stop", "--data-dir", directory])
        }
    }

    /// Starts the server again on its data directory and port.
    public func startAgain() async throws {
        let directory = dataDirectory
        _ = try await onOwnThread {
            try runCommand(TestEnvironment.repositoryRoot + "/scripts/postgres", ["start", "--data-dir", directory])
        }
    }

    /// Stops the server and removes its data.
    public func stop() async {
        let directory = dataDirectory
        _ = try? await onOwnThread {
            _ = try? runCommand(TestEnvironment.repositoryRoot + "/scripts/postgres", ["stop", "--data-dir", directory])
            try? FileManager.default.removeItem(atPath: directory)
        }
    }
}
