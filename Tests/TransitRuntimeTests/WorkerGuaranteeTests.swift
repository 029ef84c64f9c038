import Foundation
import Synchronization
import TransitDemo
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire
import Testing
import TransitTestSupport

/// Effectively-once processing of the worker loop, against the local broker and a real SQLite file.
@Suite("Worker guarantees", .timeLimit(.minutes(3)))
struct WorkerGuaranteeTests {
    @Test func duplicateIsHandledOnceAndReplayIsADeliberateRerun() async throws {
        let (input, output, topics) = try await RuntimeTestSupport.topics("dup")
        let (path, store) = try await RuntimeTestSupport.migratedSQLite()
        defer { RuntimeTestSupport.removeSQLite(path) }
        let running = try RuntimeTestSupport.startWorker(
            store: store, input: input, output: output, topics: topics, group: RuntimeTestSupport.unique("g"))
        defer { running.task.cancel() }

        let first = RuntimeTestSupport.event("e-1", patient: "p-1")
        try await RuntimeTestSupport.publish([first, RuntimeTestSupport.event("e-2", patient: "p-1"), first], to: input)
        try await RuntimeTestSupport.publish(
            [first], to: input,
            headers: [KafkaHeader(name: TransitHeaders.replayID, string: "replay-7"), KafkaHeader(name: TransitHeaders.replayedFrom, string: "\(input)/0/0")])
        // The same replay delivered twice is still one re-run.
        try await RuntimeTestSupport.publish([first], to: input, headers: [KafkaHeader(name: TransitHeaders.replayID, string: "replay-7")])

        // A sentinel of the same patient (same partition, in order): once its output is out, every
        // output of the records before it is out too.
        try await RuntimeTestSupport.publish([RuntimeTestSupport.event("e-sentinel", patient: "p-1")], to: input)
        let settled = try await RuntimeTestSupport.read(output) { RuntimeTestSupport.outputIDs($0).contains("e-sentinel/out") }
        let ids = RuntimeTestSupport.outputIDs(settled).filter { $0 != "e-sentinel/out" }
        // The original and the deliberate re-run each emit once; the re-run's output keeps its event
        // id, so consumers downstream still see one effect.
        #expect(ids.filter { $0 == "e-1/out" }.count == 2)
        #expect(ids.filter { $0 == "e-2/out" }.count == 1)
        #expect(running.worker.stats.duplicates == 2)
        let count = try await store.transaction { try $0.state(namespace: "example", key: "p-1") }
        #expect(count.map { Int($0[0]) } == 4, "e-1, e-2, the replay and the sentinel")
    }

    @Test func anEventSeenBeforeTheInboxRetentionIsProcessedAgain() async throws {
        let (input, output, topics) = try await RuntimeTestSupport.topics("retention", partitions: 1)
        // The store stamps inbox rows and the worker computes the retention cutoff on one manual clock.
        let clock = ManualClock()
        let path = RuntimeTestSupport.sqlitePath()
        defer { RuntimeTestSupport.removeSQLite(path) }
        let store = try SQLiteStore(path: path, logger: RuntimeTestSupport.logger, clock: clock)
        try await store.migrate()
        let group = RuntimeTestSupport.unique("g")
        let options = WorkerOptions(
            groupID: group, inboxRetention: .seconds(24 * 3600), inboxPruneInterval: .milliseconds(100), clock: clock)
        let running = try RuntimeTestSupport.startWorker(
            store: store, input: input, output: output, topics: topics, group: group, options: options)
        defer { running.task.cancel() }

        let event = RuntimeTestSupport.event("ret-1", patient: "p-1")
        try await RuntimeTestSupport.publish([event, event], to: input)
        _ = try await RuntimeTestSupport.read(output) { RuntimeTestSupport.outputIDs($0).count >= 1 }
        try await waitUntil("the copy to be skipped") { running.worker.stats.duplicates == 1 }
        #expect(running.worker.stats.inboxPruned == 0, "within the retention nothing is pruned")
        clock.advance(by: .seconds(24 * 3600 + 1))
        try await waitUntil("the inbox row to be pruned", saw: { "\(running.worker.stats.inboxPruned) pruned" }) {
            running.worker.stats.inboxPruned == 1
        }

        // Past the retention the event id is forgotten: the same event is handled again.
        try await RuntimeTestSupport.publish([event], to: input)
        let outputs = try await RuntimeTestSupport.read(output) { RuntimeTestSupport.outputIDs($0).count >= 2 }
        #expect(RuntimeTestSupport.outputIDs(outputs) == ["ret-1/out", "ret-1/out"])
        #expect(running.worker.stats.handled == 2)
        running.worker.stop()
        try await running.task.value
        try await running.producer.close()
    }

    @Test func poisonRecordGoesToTheDeadLetterTopicAndThePartitionMovesOn() async throws {
        let (input, output, topics) = try await RuntimeTestSupport.topics("poison", partitions: 1)
        let (path, store) = try await RuntimeTestSupport.migratedSQLite()
        defer { RuntimeTestSupport.removeSQLite(path) }
        let group = RuntimeTestSupport.unique("g")

        try await RuntimeTestSupport.publish((0..<5).map { RuntimeTestSupport.event("a-\($0)", patient: "p-\($0)") }, to: input)
        try await RuntimeTestSupport.publishRaw([0x0A, 0xFF, 0xFF, 0x01], key: "p-x", to: input)  // truncated protobuf
        var noBody = EnrollmentEvent()
        noBody.eventId = "no-body"
        noBody.patientRef = "p-y"
        try await RuntimeTestSupport.publishRaw(noBody.wireBytes(), key: "p-y", to: input)
        try await RuntimeTestSupport.publish((5..<10).map { RuntimeTestSupport.event("a-\($0)", patient: "p-\($0)") }, to: input)

        let running = try RuntimeTestSupport.startWorker(store: store, input: input, output: output, topics: topics, group: group)
        defer { running.task.cancel() }
        let outputs = try await RuntimeTestSupport.read(output) { RuntimeTestSupport.outputIDs($0).count >= 10 }
        #expect(Set(RuntimeTestSupport.outputIDs(outputs)) == Set((0..<10).map { "a-\($0)/out" }))

        let letters = try await RuntimeTestSupport.read(topics.deadLetters) { $0.count >= 2 }
        #expect(letters.count == 2)
        let decode = try #require(letters.first { $0.headers.string(TransitHeaders.dlqErrorCode) == "DECODE_FAILED" })
        #expect(Array(decode.value) == [0x0A, 0xFF, 0xFF, 0x01])
        #expect(decode.keyString == "p-x")
        #expect(decode.headers.string(TransitHeaders.dlqSourceTopic) == input)
        #expect(decode.headers.string(TransitHeaders.dlqSourcePartition) == "0")
        #expect(decode.headers.string(TransitHeaders.dlqSourceOffset) == "5")
        #expect(decode.headers.string(TransitHeaders.dlqConsumerGroup) == group)
        #expect(decode.headers.string(TransitHeaders.dlqAttempts) == "1")
        #expect(decode.headers.string(TransitHeaders.dlqError)?.isEmpty == false)
        #expect(Int64(decode.headers.string(TransitHeaders.dlqFailedAt) ?? "") ?? 0 > 0)
        #expect(letters.contains { $0.headers.string(TransitHeaders.dlqErrorCode) == "NO_BODY" && $0.headers.string(TransitHeaders.dlqSourceOffset) == "6" })
    }

    @Test func secondWorkerJoiningAndLeavingMidStreamLosesAndDoublesNothing() async throws {
        let (input, output, topics) = try await RuntimeTestSupport.topics("join", partitions: 4)
        let (path, storeA, storeB) = try await RuntimeTestSupport.sharedSQLite()
        defer { RuntimeTestSupport.removeSQLite(path) }
        let group = RuntimeTestSupport.unique("g")
        let patients = 50

        let first = try RuntimeTestSupport.startWorker(store: storeA, input: input, output: output, topics: topics, group: group, batchSize: 50)
        defer { first.task.cancel() }
        // At least 2,000 events, 100 every ~50 ms, and more until the second worker took part (its
        // join can take longer than the first 2,000 need); the publisher returns how many it sent.
        let joined = JoinedWorker()
        let publisher = Task { () -> Int in
            var sent = 0
            while sent < 2_000 || (joined.handled == 0 && sent < 20_000) {
                try await RuntimeTestSupport.publish(
                    (sent..<(sent + 100)).map { RuntimeTestSupport.event("j-\($0)", patient: "p-\($0 % patients)") }, to: input)
                sent += 100
                try await Task.sleep(for: .milliseconds(50))
            }
            return sent
        }
        _ = try await RuntimeTestSupport.read(output) { $0.count >= 300 }
        let second = try RuntimeTestSupport.startWorker(store: storeB, input: input, output: output, topics: topics, group: group, batchSize: 50)
        joined.set(second.worker)
        let total = try await publisher.value
        second.worker.stop()
        try await second.task.value
        #expect(total % patients == 0)

        let outputs = try await RuntimeTestSupport.read(output, timeout: .seconds(90)) { Set(RuntimeTestSupport.outputIDs($0)).count >= total }
        expectExactly(RuntimeTestSupport.outputIDs(outputs), (0..<total).map { "j-\($0)/out" })
        #expect(second.worker.stats.handled > 0, "the second worker took part")
        // One effect per input in the store: every patient's count equals its number of events.
        let counts = try await RuntimeTestSupport.patientCounts(storeA, patients: patients)
        for (patient, count) in counts.enumerated() {
            #expect(count == total / patients, "patient p-\(patient)")
        }
    }
}

/// The second worker of the join test, readable from the publishing task.
private final class JoinedWorker: Sendable {
    private let worker = Mutex<Worker<ExampleHandler>?>(nil)

    func set(_ worker: Worker<ExampleHandler>) { self.worker.withLock { $0 = worker } }

    /// Records the joined worker handled so far (0 before it joined).
    var handled: Int { worker.withLock { $0?.stats.handled ?? 0 } }
}
