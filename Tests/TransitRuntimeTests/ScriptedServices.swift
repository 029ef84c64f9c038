import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a command and returns its standard output; throws when it fails.
///
/// Uses `posix_spawn` and `waitpid` directly: Foundation's `Process.waitUntilExit` was seen to miss
/// the exit of a short-lived script that leaves a daemon behind (`scripts/broker start`).
func runCommand(_ executable: String, _ arguments: [String]) throws -> String {
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

struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}

/// The repository root (for `scripts/`).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// A broker of a test's own, started with `scripts/broker` on a fresh data directory, so that the
/// test can restart it without disturbing other tests.
struct OwnBroker {
    let dataDirectory: String
    let address: String

    static func start() throws -> OwnBroker {
        let directory = NSTemporaryDirectory() + "trialtransit-broker-\(UInt64.random(in: 0...UInt64.max))"
        let address = try runCommand(repositoryRoot + "/scripts/broker", ["start", "--data-dir", directory])
        return OwnBroker(dataDirectory: directory, address: address)
    }

    /// Graceful stop (the broker saves its topics), then start on the same data directory and port.
    func restart() throws {
        _ = try runCommand(repositoryRoot + "/scripts/broker", ["stop", "--data-dir", dataDirectory])
        _ = try runCommand(repositoryRoot + "/scripts/broker", ["start", "--data-dir", dataDirectory])
    }

    func stop() {
        _ = try? runCommand(repositoryRoot + "/scripts/broker", ["stop", "--data-dir", dataDirectory])
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}

/// A database of a test's own on the test PostgreSQL server, dropped afterwards.
struct PostgresTestDatabase {
    let url: String
    let server: String
    let name: String

    static func create(url server: String) async throws -> PostgresTestDatabase {
        let name = "test_\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
        _ = try runCommand("/usr/bin/psql", [server, "-v", "ON_ERROR_STOP=1", "-q", "-c", "CREATE DATABASE \(name)"])
        let base = server.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return PostgresTestDatabase(url: base + "/" + name, server: server, name: name)
    }

    func drop() async throws {
        _ = try runCommand("/usr/bin/psql", [server, "-q", "-c", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"])
    }
}
