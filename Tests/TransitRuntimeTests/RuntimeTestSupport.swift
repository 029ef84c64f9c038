import Foundation
import Logging
import TransitDemo
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire
import TransitTestSupport

/// Broker, topics, stores, workers and worker processes for the runtime's fault tests.
enum RuntimeTestSupport {
    static var brokers: String { get throws { try TestEnvironment.brokers } }
    static var client: KafkaClientConfiguration { get throws { try TestEnvironment.client } }

    static let logger: Logger = {
        var logger = Logger(label: "runtime-test")
        logger.logLevel = .error
        return logger
    }()

    static func unique(_ prefix: String) -> String { uniqueName(prefix) }

    /// A fresh input and output topic pair.
    static func topics(_ name: String, partitions: Int = 4) async throws -> (input: String, output: String, prefix: TransitTopics) {
        let base = unique("test-\(name)")
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        let prefix = TransitTopics(prefix: base + ".")
        try await admin.createTopics([
            KafkaTopicSpecification(name: base + ".in", partitions: partitions),
            KafkaTopicSpecification(name: base + ".out", partitions: partitions),
            KafkaTopicSpecification(name: prefix.deadLetters, partitions: 1),
        ])
        return (base + ".in", base + ".out", prefix)
    }

    /// A fresh SQLite file path (deleted with its WAL files by the caller's `defer`).
    static func sqlitePath() -> String { temporarySQLitePath("trialtransit-test") }

    static func removeSQLite(_ path: String) { removeSQLiteFiles(path) }

    /// Two connections to one fresh, migrated SQLite file, as two workers of one group would have
    /// (remove `path` with ``removeSQLite(_:)``).
    static func sharedSQLite() async throws -> (path: String, first: SQLiteStore, second: SQLiteStore) {
        let (path, first) = try await migratedSQLite()
        return (path, first, try SQLiteStore(path: path, logger: logger))
    }

    /// A fresh, migrated SQLite store (remove `path` with ``removeSQLite(_:)``).
    static func migratedSQLite() async throws -> (path: String, store: SQLiteStore) {
        let path = sqlitePath()
        let store = try SQLiteStore(path: path, logger: logger)
        try await store.migrate()
        return (path, store)
    }

    /// An idempotent producer for the test broker (or `client`).
    static func producer(linger: Duration = .milliseconds(5), client: KafkaClientConfiguration? = nil) throws -> KafkaProducer {
        try KafkaProducer(configuration: KafkaProducerConfiguration(client: client ?? Self.client, linger: linger), logger: logger)
    }

    /// The example handler's event count of patients `p-0` … `p-<patients - 1>` (nil: none stored):
    /// with one effect per input, each equals the number of that patient's events.
    static func patientCounts(_ store: any TransitStore, patients: Int) async throws -> [Int?] {
        try await store.transaction { transaction in
            try (0..<patients).map { patient in
                try transaction.state(namespace: "example", key: "p-\(patient)").map { bytes in
                    bytes.withUnsafeBytes { Int($0.loadUnaligned(as: UInt64.self).littleEndian) }
                }
            }
        }
    }

    /// An `EnrollmentEvent` with a `VisitCompleted` body (or `PatientReferred` when `referral`).
    static func event(_ id: String, patient: String, referral: Bool = false) -> EnrollmentEvent {
        var event = EnrollmentEvent()
        event.eventId = id
        event.patientRef = patient
        event.source = "runtime-test"
        event.occurredAt = 1
        if referral {
            event.body = .patientReferred(PatientReferred(referralId: id, conditionCode: "C34.1"))
        } else {
            event.body = .visitCompleted(VisitCompleted(visitId: "v-\(id)"))
        }
        return event
    }

    /// Publishes events (keyed by patient) and waits for the acknowledgements.
    static func publish(_ events: [EnrollmentEvent], to topic: String, headers: [KafkaHeader] = []) async throws {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: logger)
        try await producer.send(
            events.map { KafkaProducerMessage(topic: topic, key: $0.patientRef, value: $0.wireBytes(), headers: headers) })
        try await producer.close()
    }

    /// Publishes raw bytes.
    static func publishRaw(_ value: [UInt8], key: String, to topic: String) async throws {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: logger)
        try await producer.send(KafkaProducerMessage(topic: topic, key: key, value: value))
        try await producer.close()
    }

    /// Reads a topic from the beginning until `done` holds for what was read; throws
    /// ``WaitTimeout`` with what it read when `timeout` passes first.
    static func read(
        _ topic: String, client: KafkaClientConfiguration? = nil, timeout: Duration = .seconds(90),
        until done: ([KafkaConsumerMessage]) -> Bool
    ) async throws -> [KafkaConsumerMessage] {
        try await readTopic(topic, client: client, timeout: timeout, until: done)
    }

    /// Output event ids (decoded `TrialAccessEvent`s) of the messages.
    static func outputIDs(_ messages: [KafkaConsumerMessage]) -> [String] {
        messages.compactMap { message in
            (try? TrialAccessEvent(wireBytes: message.value))?.eventId
        }
    }

    /// Starts a worker for the example handler in this process.
    static func startWorker(
        store: any TransitStore, input: String, output: String, topics: TransitTopics, group: String,
        slots: Int = 1_000_000, batchSize: Int = 200, options: WorkerOptions? = nil
    ) throws -> (worker: Worker<ExampleHandler>, task: Task<Void, any Error>, producer: KafkaProducer) {
        let producer = try Self.producer(linger: .milliseconds(1))
        let relay = OutboxRelay(store: store, producer: producer, topics: topics, logger: logger)
        let worker = Worker(
            handler: ExampleHandler(inputTopic: input, outputTopic: output, slotCapacity: slots), store: store, relay: relay,
            client: try client, topics: topics, options: options ?? WorkerOptions(batchSize: batchSize, groupID: group), logger: logger)
        let task = Task { try await worker.run() }
        return (worker, task, producer)
    }

    /// The built `trialtransit` executable.
    static var executable: String { get throws { try BuiltExecutable.path() } }

    /// Starts `trialtransit worker example …` as a child process.
    static func spawnWorker(
        store: String, input: String, output: String, topics: TransitTopics, group: String, slots: Int, instanceID: String? = nil
    ) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable)
        process.arguments = [
            "worker", "example", "--brokers", try brokers, "--local-broker", "--store", store, "--input-topic", input,
            "--output-topic", output, "--group", group, "--slots", String(slots), "--batch-size", "100",
            "--topic-prefix", topics.prefix, "--session-timeout", "6", "--max-poll-interval", "8",
        ] + (instanceID.map { ["--instance-id", $0] } ?? [])
        var environment = ProcessInfo.processInfo.environment
        environment["TRIALTRANSIT_LOG_LEVEL"] = environment["TRIALTRANSIT_TEST_WORKER_LOG_LEVEL"] ?? "error"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        if let directory = environment["TRIALTRANSIT_TEST_WORKER_LOG_DIR"] {
            let path = directory + "/\(group)-\(UInt32.random(in: 0...UInt32.max)).log"
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: path)
        }
        try process.run()
        return process
    }
}

import Testing

/// Expects the distinct `ids` to be exactly `expected`, reporting counts rather than whole sets.
func expectExactly(_ ids: [String], _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    let seen = Set(ids)
    let wanted = Set(expected)
    let missing = wanted.subtracting(seen)
    let extra = seen.subtracting(wanted)
    let missingCount = missing.count
    let extraCount = extra.count
    #expect(missingCount == 0, "missing, e.g. \(missing.sorted().prefix(5))", sourceLocation: sourceLocation)
    #expect(extraCount == 0, "unexpected, e.g. \(extra.sorted().prefix(5))", sourceLocation: sourceLocation)
}
