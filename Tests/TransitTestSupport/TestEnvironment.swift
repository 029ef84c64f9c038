import Foundation
import Logging
import TransitKafka

/// What `scripts/test` set up for the tests: the local broker and the PostgreSQL server.
///
/// A missing variable throws ``TestEnvironmentError``: a test that needs a service it was not
/// given fails, naming the variable; nothing falls back to a default address.
public enum TestEnvironment {
    /// The broker addresses (`TRIALTRANSIT_BROKERS`, comma-separated).
    public static var brokers: String {
        get throws { try variable("TRIALTRANSIT_BROKERS", hint: "run the tests through scripts/test") }
    }

    /// A client configuration for the test broker (fetch size limits raised, as the local broker needs).
    public static var client: KafkaClientConfiguration {
        get throws { .localBroker(try brokers.split(separator: ",").map(String.init)) }
    }

    /// The PostgreSQL server URL (`TRIALTRANSIT_TEST_POSTGRES_URL`).
    public static var postgresURL: String {
        get throws {
            try variable(
                "TRIALTRANSIT_TEST_POSTGRES_URL",
                hint: "scripts/test starts a server; by hand: scripts/postgres start --data-dir DIR and export the printed URL")
        }
    }

    /// The broker's data directory, for tests that restart the shared broker (`TRIALTRANSIT_TEST_BROKER_DATA_DIR`).
    public static var brokerDataDirectory: String {
        get throws { try variable("TRIALTRANSIT_TEST_BROKER_DATA_DIR", hint: "run the tests through scripts/test") }
    }

    /// A logger for test plumbing: warnings and worse only.
    public static func logger(_ label: String, level: Logger.Level = .warning) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }

    /// The repository root (for `scripts/` and `samples/`).
    public static let repositoryRoot: String = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    private static func variable(_ name: String, hint: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw TestEnvironmentError(description: "\(name) is not set: \(hint)")
        }
        return value
    }
}

/// A service the test needs was not set up.
public struct TestEnvironmentError: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) { self.description = description }
}

/// Names no other test (of this run or an earlier one) uses: topics, groups, files, schemas.
public func uniqueName(_ prefix: String) -> String {
    "\(prefix)-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
}
