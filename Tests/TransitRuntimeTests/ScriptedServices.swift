import Foundation

/// Runs a command and returns its standard output; throws when it fails.
func runCommand(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw CommandFailure(description: "\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
    }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
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
