import Foundation
import Logging
import TransitKafka
import TransitRPC
import TransitStore
import TransitWire
import TransitTestSupport

/// Broker, topics, the built `trialtransit` binary and worker processes for the operations tests.
enum Ops {
    static var brokers: String { get throws { try TestEnvironment.brokers } }
    static var client: KafkaClientConfiguration { get throws { try TestEnvironment.client } }

    static let logger: Logger = {
        var logger = Logger(label: "operations-test")
        logger.logLevel = .critical
        return logger
    }()

    static func unique(_ prefix: String) -> String { uniqueName(prefix) }

    /// The built `trialtransit` executable.
    static var executable: String { get throws { try BuiltExecutable.path() } }

    /// What one run of the CLI printed and how it ended.
    struct Run: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
        var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    /// Runs `trialtransit <arguments>` (with `environment` added to this process's; inside the
    /// network namespace of `front` if given) and waits for it, at most `timeout` (then kills it).
    static func cli(
        _ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:],
        timeout: Duration = .seconds(60), inside front: TLSFront? = nil, workingDirectory: String? = nil
    ) async throws -> Run {
        let directory = NSTemporaryDirectory() + unique("ops-cli")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outPath = directory + "/out", errPath = directory + "/err", inPath = directory + "/in"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        _ = FileManager.default.createFile(atPath: inPath, contents: Data((stdin ?? "").utf8))
        let process = Process()
        let command = try front?.command(try executable, arguments) ?? (executable: try executable, arguments: arguments)
        process.executableURL = URL(fileURLWithPath: command.executable)
        process.arguments = command.arguments
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
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
        process.stopGracefully()
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
        try await cli(arguments + ["--brokers", try brokers, "--local-broker"], stdin: stdin, timeout: timeout)
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
    static func readAll(_ topic: String, timeout: Duration = .seconds(90)) async throws -> [KafkaConsumerMessage] {
        try await readWholeTopic(topic, timeout: timeout)
    }

    /// Reads a topic from the beginning until `done` holds for what was read; throws
    /// ``WaitTimeout`` with what it read when `timeout` passes first.
    static func read(
        _ topic: String, timeout: Duration = .seconds(90), until done: ([KafkaConsumerMessage]) -> Bool
    ) async throws -> [KafkaConsumerMessage] {
        try await readTopic(topic, timeout: timeout, until: done)
    }

    /// Everything on `output` once the worker process of `group` consumed every record on `input`
    /// and published its outbox (the SQLite file `store`): nothing more will come of those inputs.
    static func settledOutputs(_ output: String, group: String, input: String, store path: String) async throws
        -> [KafkaConsumerMessage]
    {
        let reader = try await TopicReader(output)
        let store = try SQLiteStore(path: path, logger: logger)
        do {
            try await settle(reader, groups: [(group, [input])], stores: [store])
        } catch {
            try? await store.close()
            await reader.close()
            throw error
        }
        try await store.close()
        await reader.close()
        return reader.messages
    }

    /// Sum of the high watermarks of a topic: how many records were ever written to it.
    static func endOffsets(_ topic: String) async throws -> Int64 {
        Int64(try await recordCount(topic))
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
        process.executableURL = URL(fileURLWithPath: try executable)
        process.arguments = [
            "worker", "example", "--brokers", try brokers, "--local-broker", "--store", "sqlite:" + store, "--input-topic", input,
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
        process.stopGracefully()
    }

    /// A fresh SQLite path; remove it with ``removeSQLite(_:)``.
    static func sqlitePath() -> String { temporarySQLitePath("ops-test") }

    static func removeSQLite(_ path: String) { removeSQLiteFiles(path) }

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
