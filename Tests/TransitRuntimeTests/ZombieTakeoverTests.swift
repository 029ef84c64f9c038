import Foundation
import Synchronization
import TransitKafka
import TransitRPC
import TransitStore
import TransitWire
import Testing
import TransitTestSupport

/// The zombie: a worker process paused (SIGSTOP) past its session time-out while its outbox holds
/// committed rows not yet published, replaced meanwhile by a process with its instance id (static
/// membership hands the successor its partitions at once; the local broker expires no paused
/// member), then woken (SIGCONT). The successor claims the partitions in the shared PostgreSQL
/// store and publishes the zombie's rows before its own. The woken zombie's transactions are
/// refused (its claims are stale) until the group assigns it partitions again (librdkafka rejoins
/// after its session timed out, which fences the successor in the group; the claims follow).
/// Per key, outputs keep the input order and each input has one effect throughout.
@Suite("Zombie takeover", .serialized, .timeLimit(.minutes(5)))
struct ZombieTakeoverTests {
    @Test func aPausedWorkerHoldingUnpublishedRowsCausesNoReorderingAndNoDoubleEffect() async throws {
        let (input, output, topics) = try await RuntimeTestSupport.topics("zombie", partitions: 2)
        let database = try await PostgresTestDatabase.create()
        do {
            try await takeOver(database, input: input, output: output, topics: topics)
        } catch {
            try? await database.drop()
            throw error
        }
        try await database.drop()
    }

    private func takeOver(_ database: PostgresTestDatabase, input: String, output: String, topics: TransitTopics) async throws {
        let group = RuntimeTestSupport.unique("g")
        let patients = 24
        let total = 4_800  // a multiple of `patients`
        let events = (0..<total).map { RuntimeTestSupport.event("k-\($0)", patient: "p-\($0 % patients)") }
        // Short session limits, so that the paused process's open transaction (if any) ends soon.
        let url = database.url + "?options=-c%20idle_in_transaction_session_timeout%3D3000%20-c%20lock_timeout%3D1000"
        let instance = RuntimeTestSupport.unique("zombie")

        let zombie = try RuntimeTestSupport.spawnWorker(
            store: url, input: input, output: output, topics: topics, group: group, slots: 1, instanceID: instance)
        defer { Self.end(zombie) }
        try await RuntimeTestSupport.publish(Array(events[0..<200]), to: input)
        _ = try await RuntimeTestSupport.read(output) { $0.count >= 100 }

        // A steady stream, so that the worker always has something in hand.
        let published = Atomic<Int>(200)
        let stream = Task {
            for start in stride(from: 200, to: total - 200, by: 20) {
                try await RuntimeTestSupport.publish(Array(events[start..<start + 20]), to: input)
                published.store(start + 20, ordering: .relaxed)
            }
        }
        defer { stream.cancel() }

        // Pause it at a moment when committed rows wait in the outbox (tried again until one is caught).
        let store = try PostgresStore(url: database.url, logger: RuntimeTestSupport.logger)
        var held: [OutboxMessage] = []
        var tries = 0
        try await waitUntil("the worker paused while holding unpublished rows", timeout: .seconds(120), every: .milliseconds(7), saw: { "\(tries) tries" }) {
            tries += 1
            kill(zombie.processIdentifier, SIGSTOP)
            held = try await store.pendingOutbox(limit: 10_000).filter { $0.source != nil }
            if held.isEmpty { kill(zombie.processIdentifier, SIGCONT) }
            return !held.isEmpty
        }
        let pausedAt = ContinuousClock.now
        let publishedAtPause = published.load(ordering: .relaxed)

        // The successor takes its place and goes on with the stream while the zombie sleeps.
        let successor = try RuntimeTestSupport.spawnWorker(
            store: url, input: input, output: output, topics: topics, group: group, slots: 1, instanceID: instance)
        defer { Self.end(successor) }
        let later = publishedAtPause + 200
        try await waitUntil("the successor to handle inputs published after the pause", timeout: .seconds(120), every: .milliseconds(250)) {
            published.load(ordering: .relaxed) >= later
        }
        _ = try await RuntimeTestSupport.read(output, timeout: .seconds(120)) { messages in
            RuntimeTestSupport.outputIDs(messages).contains("k-\(later - 1)/out")
        }
        // The fault itself: the pause lasts beyond the session time-out (6 s).
        let sessionTimeout = Duration.seconds(6)
        let paused = ContinuousClock.now - pausedAt
        if paused < sessionTimeout + .seconds(1) { try await Task.sleep(for: sessionTimeout + .seconds(1) - paused) }
        kill(zombie.processIdentifier, SIGCONT)
        try await stream.value
        try await RuntimeTestSupport.publish(Array(events[(total - 200)...]), to: input)

        _ = try await RuntimeTestSupport.read(output, timeout: .seconds(180)) { Set(RuntimeTestSupport.outputIDs($0)).count >= total }
        try await waitUntilConsumed(group: group, topics: [input], timeout: .seconds(120))
        try await waitUntil("the outbox to be empty", timeout: .seconds(60)) { try await store.pendingOutbox(limit: 1).isEmpty }
        Self.end(zombie)
        Self.end(successor)

        let outputs = try await readWholeTopic(output)
        Self.expectPerKeyOrder(outputs, patients: patients)
        Self.expectDuplicatesIdentical(outputs)
        expectExactly(RuntimeTestSupport.outputIDs(outputs), (0..<total).map { "k-\($0)/out" })
        let outputIDs = Set(RuntimeTestSupport.outputIDs(outputs))
        let heldIDs = held.compactMap { try? TrialAccessEvent(wireBytes: $0.value).eventId }
        #expect(heldIDs.allSatisfy(outputIDs.contains), "the rows held by the zombie were published")
        // No double effect: each patient's count is its number of inputs.
        let perPatient = try await RuntimeTestSupport.patientCounts(store, patients: patients)
        #expect(perPatient.filter { $0 != total / patients }.isEmpty, "per-patient counts: \(perPatient)")
        try await store.close()
    }

    /// Per key, the first copy of each output appears in the order of the inputs (by offset).
    static func expectPerKeyOrder(_ outputs: [KafkaConsumerMessage], patients: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        var seen = Set<String>()
        var last: [String: Int] = [:]
        var reordered: [String] = []
        for message in outputs.sorted(by: { ($0.partition, $0.offset) < ($1.partition, $1.offset) }) {
            guard let event = try? TrialAccessEvent(wireBytes: message.value), seen.insert(event.eventId).inserted,
                let index = Int(event.eventId.dropFirst(2).prefix { $0 != "/" })
            else { continue }
            let key = String(decoding: Array(message.key ?? []), as: UTF8.self)
            if let previous = last[key], previous > index { reordered.append("\(key): k-\(index) after k-\(previous)") }
            last[key] = max(last[key] ?? -1, index)
        }
        #expect(reordered.isEmpty, "outputs out of input order: \(reordered.prefix(5))", sourceLocation: sourceLocation)
    }

    /// Every copy of an output is byte-identical to the first.
    static func expectDuplicatesIdentical(_ outputs: [KafkaConsumerMessage], sourceLocation: SourceLocation = #_sourceLocation) {
        var first: [String: ([UInt8]?, [UInt8])] = [:]
        var differing: [String] = []
        for message in outputs {
            guard let id = (try? TrialAccessEvent(wireBytes: message.value))?.eventId else { continue }
            if let copy = first[id] {
                if copy.0 != message.key.map(Array.init) || copy.1 != Array(message.value) { differing.append(id) }
            } else {
                first[id] = (message.key.map(Array.init), Array(message.value))
            }
        }
        #expect(differing.isEmpty, "copies that differ: \(differing.prefix(5))", sourceLocation: sourceLocation)
    }

    /// Wakes (if paused) and stops a worker process, and waits for it.
    static func end(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGCONT)
        process.stopGracefully()
    }
}
