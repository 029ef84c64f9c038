import Foundation
import TransitKafka

/// The batch a ``Worker`` is writing while its next batch is already being polled, seen by the
/// consumer's rebalance hook.
///
/// A revocation that arrives during that poll waits here until the batch in hand is committed
/// to the store and its offsets are stored, so the commit before the revocation includes it
/// (the batch is finished, not handed to the next owner half done). The revoked partitions are
/// remembered, so that messages of theirs the same poll returned from before the revocation are
/// dropped, not written (the next owner reads them from the committed offset).
final class BatchInFlight: @unchecked Sendable {
    private let condition = NSCondition()
    private var writing = false
    private var revoked: Set<KafkaTopicPartition> = []

    /// A batch is being written (its offsets are not stored yet).
    func begin() {
        condition.lock()
        writing = true
        condition.unlock()
    }

    /// The batch is committed and its offsets are stored, or it failed.
    func end() {
        condition.lock()
        writing = false
        condition.broadcast()
        condition.unlock()
    }

    /// Called by the rebalance hook (on the consumer's dedicated thread) before `partitions` are
    /// revoked: waits up to `limit` for the batch in hand. Returns false when it is still being
    /// written after `limit`; it is then abandoned (a later owner re-reads it; the inbox absorbs it).
    func revoking(_ partitions: [KafkaTopicPartition], limit: Duration) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        revoked.formUnion(partitions)
        let deadline = Date(timeIntervalSinceNow: limit / .seconds(1))
        while writing {
            if !condition.wait(until: deadline) { return !writing }
        }
        return true
    }

    /// Partitions (re)assigned: their messages are current again.
    func assigned(_ partitions: [KafkaTopicPartition]) {
        condition.lock()
        revoked.subtract(partitions)
        condition.unlock()
    }

    /// Removes the messages of partitions revoked (and not assigned again) since the last call.
    func droppingRevoked(_ batch: KafkaMessageBatch) -> KafkaMessageBatch {
        condition.lock()
        let gone = revoked
        revoked = []
        condition.unlock()
        guard !gone.isEmpty else { return batch }
        return KafkaMessageBatch(
            messages: batch.messages.filter { !gone.contains(KafkaTopicPartition(topic: $0.topic, partition: $0.partition)) })
    }
}
