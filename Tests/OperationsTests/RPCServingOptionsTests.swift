import Foundation
import TransitTestSupport
import Testing

extension OperationsTests {
    /// `--reply-topic-pattern` / `TRIALTRANSIT_REPLY_TOPIC_PATTERN` and `--idempotency-retention-hours`
    /// / `TRIALTRANSIT_IDEMPOTENCY_RETENTION_HOURS` on the commands that serve RPCs: shown in the
    /// help, and a bad value is a one-line error before anything connects.
    @Test func rpcServingOptionsAreDocumentedAndValidated() async throws {
        for command in [["run"], ["worker", "trial-access"], ["worker", "transport"]] {
            let help = try await Ops.cli(command + ["--help"])
            #expect(help.stdout.contains("--reply-topic-pattern"), "\(command): \(help)")
            #expect(help.stdout.contains("TRIALTRANSIT_REPLY_TOPIC_PATTERN"), "\(command): \(help)")
            #expect(help.stdout.contains("--idempotency-retention-hours"), "\(command): \(help)")
        }
        let offline = ["--brokers", "127.0.0.1:1"]
        let cases: [(arguments: [String], environment: [String: String], expected: String)] = [
            (["run", "--reply-topic-pattern", "rpc.replies"], [:], "must hold exactly one '*'"),
            (["worker", "transport"], ["TRIALTRANSIT_REPLY_TOPIC_PATTERN": "rpc.*.replies.*"], "must hold exactly one '*'"),
            (["worker", "transport"], ["TRIALTRANSIT_INBOX_RETENTION_DAYS": "-1"],
                "--inbox-retention-days must be 0 (forever) or more (from TRIALTRANSIT_INBOX_RETENTION_DAYS)"),
            (["worker", "trial-access", "--idempotency-retention-hours=-1"], [:], "0 (forever) or more"),
            (["run"], ["TRIALTRANSIT_IDEMPOTENCY_RETENTION_HOURS": "a day"],
                "'a day' is invalid for '--idempotency-retention-hours <hours>' (from TRIALTRANSIT_IDEMPOTENCY_RETENTION_HOURS)"),
        ]
        for (arguments, environment, expected) in cases {
            let run = try await Ops.cli(arguments + offline, environment: environment)
            #expect(run.status != 0, "\(arguments) \(environment): \(run)")
            #expect(run.stderr.contains(expected), "\(arguments) \(environment): expected '\(expected)' in \(run)")
        }
    }

    /// `--booking-id-key-file` / `TRIALTRANSIT_BOOKING_ID_KEY_FILE` on the commands that run the
    /// transport worker: shown in the help; an unusable file is a one-line error before anything
    /// connects, and never shows the secret.
    @Test func bookingIDKeyFileIsDocumentedAndValidated() async throws {
        for command in [["run"], ["worker", "transport"]] {
            let help = try await Ops.cli(command + ["--help"])
            #expect(help.stdout.contains("--booking-id-key-file"), "\(command): \(help)")
            #expect(help.stdout.contains("TRIALTRANSIT_BOOKING_ID_KEY_FILE"), "\(command): \(help)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(uniqueName("keys")).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let shortSecret = String(repeating: "5a", count: 16)
        let short = directory + "/short.keys"
        try Data("k1 \(shortSecret)\n".utf8).write(to: URL(fileURLWithPath: short))
        let offline = ["--brokers", "127.0.0.1:1"]
        let cases: [(arguments: [String], environment: [String: String], expected: String)] = [
            (["worker", "transport", "--booking-id-key-file", short], [:], "has 16 secret bytes; at least 32"),
            (["run"], ["TRIALTRANSIT_BOOKING_ID_KEY_FILE": directory + "/missing.keys"], "cannot be read"),
        ]
        for (arguments, environment, expected) in cases {
            let run = try await Ops.cli(arguments + offline, environment: environment)
            #expect(run.status != 0, "\(arguments) \(environment): \(run)")
            #expect(run.stderr.contains(expected), "\(arguments) \(environment): expected '\(expected)' in \(run)")
            #expect(!run.stderr.contains(shortSecret) && !run.stdout.contains(shortSecret))
        }
    }
}

extension OperationsTests {
    /// `--longest-travel-day-minutes` (the overnight-stay limit) on the commands that run the
    /// transport worker: shown in the help with its default; a negative value is a one-line error
    /// before anything connects.
    @Test func longestTravelDayIsDocumentedAndValidated() async throws {
        for command in [["run"], ["worker", "transport"]] {
            let help = try await Ops.cli(command + ["--help"])
            #expect(help.stdout.contains("--longest-travel-day-minutes <minutes>"), "\(command): \(help)")
            #expect(help.stdout.contains("(default: 720)"), "\(command): \(help)")
            let run = try await Ops.cli(
                command + ["--longest-travel-day-minutes=-1", "--brokers", "127.0.0.1:1"])
            #expect(run.status != 0, "\(command): \(run)")
            #expect(run.stderr.contains("--longest-travel-day-minutes must be 0 (no limit) or more"), "\(command): \(run)")
        }
    }
}
