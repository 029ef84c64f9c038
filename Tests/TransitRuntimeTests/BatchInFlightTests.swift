import Foundation
import Synchronization
import TransitKafka
import Testing

@testable import TransitRuntime

/// The gate between a worker's batch in hand and its consumer's revoke hook (no broker needed).
@Suite("Batch in flight")
struct BatchInFlightTests {
    private let p0 = KafkaTopicPartition(topic: "t", partition: 0)
    private let p1 = KafkaTopicPartition(topic: "t", partition: 1)

    @Test func aRevocationWaitsUntilTheBatchInHandEnds() async throws {
        let gate = BatchInFlight()
        gate.begin()
        let ended = Atomic<Bool>(false)
        let revoked = Thread.detachedResult {
            // Returns only after `end()`; records whether the batch had ended by then. The limit
            // is a ceiling for a broken gate: on a loaded machine the 100 ms below once took
            // more than 10 s to come round.
            let finished = gate.revoking([p0], limit: .seconds(300))
            return finished && ended.load(ordering: .acquiring)
        }
        try await Task.sleep(for: .milliseconds(100))
        ended.store(true, ordering: .releasing)
        gate.end()
        #expect(await revoked.value)
    }

    @Test func aRevocationGivesUpOnABatchThatOutlastsTheLimit() {
        let gate = BatchInFlight()
        gate.begin()
        let clock = ContinuousClock()
        let start = clock.now
        #expect(gate.revoking([p0], limit: .milliseconds(50)) == false)
        #expect(clock.now - start >= .milliseconds(50))
        gate.end()
        #expect(gate.revoking([p0], limit: .milliseconds(50)))
    }

    @Test func messagesOfRevokedPartitionsAreDroppedUntilAssignedAgain() {
        let gate = BatchInFlight()
        let batch = KafkaMessageBatch(messages: [message(p0, 1), message(p1, 1), message(p0, 2)])
        #expect(gate.droppingRevoked(batch).map(\.offset) == [1, 1, 2], "nothing revoked: all kept")

        _ = gate.revoking([p0, p1], limit: .zero)
        gate.assigned([p1])
        let kept = gate.droppingRevoked(batch)
        #expect(kept.map(\.partition) == [1], "p0 was revoked and not assigned again")
        #expect(gate.droppingRevoked(batch).count == 3, "a revocation drops from one read only")
    }

    private func message(_ partition: KafkaTopicPartition, _ offset: Int64) -> KafkaConsumerMessage {
        KafkaConsumerMessage(
            topic: partition.topic, partition: partition.partition, offset: offset, timestamp: nil, key: nil, value: [1],
            headers: [])
    }
}

extension Thread {
    /// Runs `body` on a new thread (it may block) and hands its result to async code.
    fileprivate static func detachedResult<T: Sendable>(_ body: @escaping @Sendable () -> T) -> Task<T, Never> {
        let box = Mutex<T?>(nil)
        let done = Atomic<Bool>(false)
        Thread.detachNewThread {
            let value = body()
            box.withLock { $0 = value }
            done.store(true, ordering: .releasing)
        }
        return Task {
            while !done.load(ordering: .acquiring) { try? await Task.sleep(for: .milliseconds(5)) }
            return box.withLock { $0! }
        }
    }
}
