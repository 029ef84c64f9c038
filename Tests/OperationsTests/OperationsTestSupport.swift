import Foundation
import Logging
import TransitKafka
import TransitRPC
import TransitWire

/// Broker, topics, the built `trialtransit` binary and worker processes for the operations tests.
enum Ops {
    static var brokers: String { ProcessInfo.processInfo.environment["TRIALTRANSIT_BROKERS"] ?? "127.0.0.1:9092" }
    static var client: KafkaClientConfiguration { .localBroker(brokers.split(separator: ",").map(String.init)) }

    static let logger: Logger = {
        var logger = Logger(label: "operations-test")
        logger.logLevel = .critical
        return logger
    }()

    static func unique(_ prefix: String) -> String {
        "\(prefix)-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
    }

    /// The built `trialtransit` executable (`TRIALTRANSIT_BIN`, or `.build/debug/trialtransit`).
    static var executable: String {
        if let path = ProcessInfo.processInfo.environment["TRIALTRANSIT_BIN"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/trialtransit").path
    }

    /// What one run of the CLI printed and how it ended.
    struct Run: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
        var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    /// Runs `trialtransit <arguments>` (with `environment` added to this process's) and waits for
    /// it, at most `timeout` (then kills it).
    static func cli(
        _ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:],
        timeout: Duration = .seconds(60)
    ) async throws -> Run {
        let directory = NSTemporaryDirectory() + unique("ops-cli")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outPath = directory + "/out", errPath = directory + "/err", inPath = directory + "/in"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        _ = FileManager.default.createFile(atPath: inPath, contents: Data((stdin ?? "").utf8))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "TRIALTRANSIT_LOG_LEVEL")
        environment["USER"] = "ops-test"
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let output = FileHandle(forWritingAtPath: outPath)!, error = FileHandle(forWritingAtPath: errPath)!
        let input = FileHandle(forReadingAtPath: inPath)!
        process.standardOutput = output
        process.standardError = error
        process.standardInput = input
        try process.run()
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while process.isRunning && clock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? output.close()
        try? error.close()
        try? input.close()
        return Run(
            status: process.terminationStatus,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// Runs a CLI command that talks to the test broker.
    static func ops(_ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(60)) async throws -> Run {
        try await cli(arguments + ["--brokers", brokers, "--local-broker"], stdin: stdin, timeout: timeout)
    }

    /// A fresh prefix with every contract topic created by `trialtransit topics ensure`.
    static func contractTopics(_ name: String, partitions: Int = 3) async throws -> TransitTopics {
        let topics = TransitTopics(prefix: unique("test-ops-\(name)") + ".")
        let run = try await ops(["topics", "ensure", "--topic-prefix", topics.prefix, "--partitions", String(partitions)])
        guard run.status == 0 else { throw TestFailure("topics ensure failed: \(run)") }
        return topics
    }

    /// Publishes records and returns where each landed.
    static func publish(_ messages: [KafkaProducerMessage]) async throws -> [KafkaDeliveryReport] {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client, linger: .milliseconds(1)), logger: logger)
        var reports: [KafkaDeliveryReport] = []
        for message in messages { reports.append(try await producer.send(message)) }
        try await producer.close()
        return reports
    }

    /// An `EnrollmentEvent` record keyed by patient.
    static func event(_ id: String, patient: String, body: EnrollmentEvent.Body, topic: String, timestamp: Int64? = nil)
        -> KafkaProducerMessage
    {
        let event = EnrollmentEvent(eventId: id, occurredAt: 1, source: "ops-test", patientRef: patient, body: body)
        return KafkaProducerMessage(
            topic: topic, key: patient, value: event.wireBytes(),
            headers: [KafkaHeader(name: TransitHeaders.traceparent, string: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")],
            timestamp: timestamp)
    }

    /// Every record of a topic now (reads up to the high watermarks taken at start).
    static func readAll(_ topic: String, timeout: Duration = .seconds(30)) async throws -> [KafkaConsumerMessage] {
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        var ends: [Int32: Int64] = [:]
        for partition in try await admin.describeTopic(topic).partitions {
            ends[partition.id] = try await admin.watermarks(topic: topic, partition: partition.id).high
        }
        let wanted = ends.values.reduce(0, +)
        guard wanted > 0 else { return [] }
        return try await read(topic, timeout: timeout) { $0.count >= wanted }
    }

    /// Reads a topic from the beginning until `done` holds for what was read, or `timeout`.
    static func read(
        _ topic: String, timeout: Duration = .seconds(60), until done: ([KafkaConsumerMessage]) -> Bool
    ) async throws -> [KafkaConsumerMessage] {
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        let partitions = try await admin.describeTopic(topic).partitions
        let consumer = try KafkaConsumer(configuration: KafkaConsumerConfiguration(client: client), logger: logger)
        try consumer.assign(partitions.map { KafkaTopicPartitionOffset(topic: topic, partition: $0.id, offset: KafkaOffset.beginning) })
        var all: [KafkaConsumerMessage] = []
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while !done(all) && clock.now < deadline {
            all += try await consumer.poll(timeout: .milliseconds(200))
        }
        try await consumer.close()
        return all
    }

    /// Sum of the high watermarks of a topic: how many records were ever written to it.
    static func endOffsets(_ topic: String) async throws -> Int64 {
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        var total: Int64 = 0
        for partition in try await admin.describeTopic(topic).partitions {
            total += try await admin.watermarks(topic: topic, partition: partition.id).high
        }
        return total
    }

    /// Output event ids (decoded `TrialAccessEvent`s) of the messages.
    static func outputIDs(_ messages: [KafkaConsumerMessage]) -> [String] {
        messages.compactMap { (try? TrialAccessEvent(wireBytes: $0.value))?.eventId }
    }

    /// The decoded audit records of a prefix.
    static func auditRecords(_ topics: TransitTopics) async throws -> [AuditRecord] {
        try await readAll(topics.audit).compactMap { try? AuditRecord(wireBytes: $0.value) }
    }

    /// Starts `trialtransit worker example` as a child process on `input`, emitting to `output`.
    static func spawnExampleWorker(store: String, input: String, output: String, topics: TransitTopics, group: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "worker", "example", "--brokers", brokers, "--local-broker", "--store", "sqlite:" + store, "--input-topic", input,
            "--output-topic", output, "--topic-prefix", topics.prefix, "--group", group, "--batch-size", "100",
            "--session-timeout", "6", "--max-poll-interval", "8",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["TRIALTRANSIT_LOG_LEVEL"] = "error"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Stops a worker process gracefully and waits for it.
    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// A fresh SQLite path; remove it with ``removeSQLite(_:)``.
    static func sqlitePath() -> String { NSTemporaryDirectory() + unique("ops-test") + ".sqlite" }

    static func removeSQLite(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// `ms` as ISO 8601 with milliseconds, as an operator would type it.
    static func iso(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    /// Parses one JSON line printed by the CLI.
    static func json(_ line: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
