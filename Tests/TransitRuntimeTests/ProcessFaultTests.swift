import Foundation
import TransitDemo
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire
import Testing
import TransitTestSupport

/// Faults across processes: a worker killed with SIGKILL, a broker restart, two processes racing on
/// a shared PostgreSQL counter.
@Suite("Process faults", .serialized, .timeLimit(.minutes(5)))
struct ProcessFaultTests {
    @Test func killNineMidStreamThenRestartGivesExactlyOneEffectPerInput() async throws {
        let (input, output, topics) = try await RuntimeTestSupport.topics("kill9", partitions: 3)
        let path = RuntimeTestSupport.sqlitePath()
        defer { RuntimeTestSupport.removeSQLite(path) }
        let group = RuntimeTestSupport.unique("g")
        let total = 3_000
        let patients = 30
        let events = (0..<total).map { RuntimeTestSupport.event("k-\($0)", patient: "p-\($0 % patients)") }
        try await RuntimeTestSupport.publish(Array(events[0..<200]), to: input)

        // Static membership: the restarted process takes the killed one's place in the group at once.
        let victim = try RuntimeTestSupport.spawnWorker(
            store: "sqlite:" + path, input: input, output: output, topics: topics, group: group, slots: 1, instanceID: "worker-1")
        _ = try await RuntimeTestSupport.read(output) { $0.count >= 100 }
        // The rest arrives as a stream (100 every 50 ms), so the kill lands in the middle of it.
        let publisher = Task {
            for start in stride(from: 200, to: total, by: 100) {
                try await RuntimeTestSupport.publish(Array(events[start..<min(total, start + 100)]), to: input)
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        _ = try await RuntimeTestSupport.read(output) { $0.count >= 500 }
        kill(victim.processIdentifier, SIGKILL)
        victim.waitUntilExit()
        #expect(victim.terminationReason == .uncaughtSignal)
        let beforeRestart = try await recordCount(output)
        #expect(beforeRestart < total, "killed mid-stream")
        try await publisher.value

        let survivor = try RuntimeTestSupport.spawnWorker(
            store: "sqlite:" + path, input: input, output: output, topics: topics, group: group, slots: 1, instanceID: "worker-1")
        defer { survivor.terminate() }
        let outputs = try await RuntimeTestSupport.read(output, timeout: .seconds(120)) { Set(RuntimeTestSupport.outputIDs($0)).count >= total }
        expectExactly(RuntimeTestSupport.outputIDs(outputs), (0..<total).map { "k-\($0)/out" })

        let store = try SQLiteStore(path: path, logger: RuntimeTestSupport.logger)
        let perPatient = try await RuntimeTestSupport.patientCounts(store, patients: patients)
        #expect(perPatient.filter { $0 != total / patients }.isEmpty, "per-patient counts: \(perPatient)")
        survivor.stopGracefully()
    }

    /// SIGTERM starts a graceful shutdown, which publishes what the outbox holds first; with the
    /// broker unreachable that cannot finish, and a second SIGTERM exits at once (status 130).
    @Test func aSecondSignalExitsAtOnceWhileTheGracefulShutdownWaitsForTheBroker() async throws {
        let (path, store) = try await RuntimeTestSupport.migratedSQLite()
        defer { RuntimeTestSupport.removeSQLite(path) }
        try await store.transaction { tx in try tx.enqueue([OutboxMessage(topic: "nowhere", key: nil, value: [1])]) }
        try await store.close()

        let logPath = RuntimeTestSupport.sqlitePath() + ".log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try RuntimeTestSupport.executable)
        process.arguments = [
            "worker", "example", "--brokers", "127.0.0.1:1", "--local-broker", "--store", "sqlite:" + path,
            "--input-topic", "in", "--output-topic", "out", "--group", RuntimeTestSupport.unique("g"),
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["TRIALTRANSIT_LOG_LEVEL"] = "info"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        func log() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
        try await waitUntil("the worker to start", saw: { log() }) { log().contains("worker started") }

        kill(process.processIdentifier, SIGTERM)
        try await waitUntil("the graceful shutdown to begin", saw: { log() }) { log().contains("shutting down gracefully") }
        #expect(process.isRunning, "the first signal waits for the pending row to be published")
        kill(process.processIdentifier, SIGTERM)
        try await waitUntil("the process to exit after the second signal") { !process.isRunning }
        // 0 would mean the first signal's shutdown ended on its own: it cannot, the row cannot be published.
        #expect(process.terminationStatus == 130, "the second signal exits at once")
    }

    @Test func twoPostgresWorkerProcessesRacingOnOneCounterNeverOverBook() async throws {
        let (input, output, topics) = try await RuntimeTestSupport.topics("race", partitions: 4)
        let group = RuntimeTestSupport.unique("g")
        let database = try await PostgresTestDatabase.create()
        do {
            try await race(database, input: input, output: output, topics: topics, group: group)
        } catch {
            try? await database.drop()
            throw error
        }
        try await database.drop()
    }

    private func race(_ database: PostgresTestDatabase, input: String, output: String, topics: TransitTopics, group: String)
        async throws
    {
        let capacity = 50
        let referrals = 200

        let workers = try (0..<2).map { _ in
            try RuntimeTestSupport.spawnWorker(store: database.url, input: input, output: output, topics: topics, group: group, slots: capacity)
        }
        defer { workers.forEach { $0.terminate() } }
        try await RuntimeTestSupport.publish(
            (0..<referrals).map { RuntimeTestSupport.event("r-\($0)", patient: "p-\($0)", referral: true) }, to: input)
        let outputs = try await RuntimeTestSupport.read(output, timeout: .seconds(120)) { Set(RuntimeTestSupport.outputIDs($0)).count >= referrals }
        let events = outputs.compactMap { try? TrialAccessEvent(wireBytes: $0.value) }
        var reservedBy: [String: Int] = [:]
        for event in events { if case .slotReserved = event.body { reservedBy[event.eventId, default: 0] += 1 } }
        #expect(Set(events.map(\.eventId)).count == referrals)
        #expect(reservedBy.count == capacity, "exactly the capacity was granted")

        let store = try PostgresStore(url: database.url, logger: RuntimeTestSupport.logger)
        let counter = try await store.transaction { try $0.counter(ExampleHandler.slotCounter) }
        #expect(counter?.used == capacity)
        #expect(counter?.capacity == capacity)
        try await store.close()
        for worker in workers {
            worker.stopGracefully()
        }
    }
}
