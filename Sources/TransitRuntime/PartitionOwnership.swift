import Synchronization
import TransitKafka
import TransitStore

/// The input partitions a ``Worker`` holds in the store (``PartitionClaim``): those the group
/// assigned, the claims taken on them, and those lost to another worker's later claim (a paused
/// process woken after the group gave its partitions away) until the group assigns them again.
///
/// Updated by the rebalance hook (assignments) and the worker loop (claims); read by both.
final class PartitionOwnership: Sendable {
    private struct State {
        var assigned: Set<KafkaTopicPartition> = []
        var held: [KafkaTopicPartition: PartitionClaim] = [:]
        var lost: Set<KafkaTopicPartition> = []
    }
    private let state = Mutex(State())

    /// The partitions the group assigned (and did not revoke since).
    var assignment: Set<KafkaTopicPartition> { state.withLock { $0.assigned } }

    /// The group assigned `partitions`: each needs a new claim before its records are processed.
    func assigned(_ partitions: [KafkaTopicPartition]) {
        state.withLock { state in
            state.assigned.formUnion(partitions)
            for partition in partitions {
                state.held[partition] = nil
                state.lost.remove(partition)
            }
        }
    }

    /// The group revoked `partitions`.
    func revoked(_ partitions: [KafkaTopicPartition]) {
        state.withLock { state in
            state.assigned.subtract(partitions)
            for partition in partitions {
                state.held[partition] = nil
                state.lost.remove(partition)
            }
        }
    }

    /// Assigned partitions without a claim (and not lost): to claim before their records are processed.
    func unclaimed() -> [KafkaTopicPartition] {
        state.withLock { state in
            state.assigned.filter { state.held[$0] == nil && !state.lost.contains($0) }
                .sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        }
    }

    /// True while an assigned partition waits for its claim.
    var hasUnclaimed: Bool {
        state.withLock { state in state.assigned.contains { state.held[$0] == nil && !state.lost.contains($0) } }
    }

    /// Records a claim taken.
    func hold(_ claim: PartitionClaim) {
        state.withLock { $0.held[KafkaTopicPartition(topic: claim.topic, partition: claim.partition)] = claim }
    }

    /// The claims held on the partitions of `messages`.
    func claims(for messages: some Sequence<KafkaConsumerMessage>) -> [KafkaTopicPartition: PartitionClaim] {
        state.withLock { state in
            var claims: [KafkaTopicPartition: PartitionClaim] = [:]
            for message in messages {
                let partition = KafkaTopicPartition(topic: message.topic, partition: message.partition)
                if let claim = state.held[partition] { claims[partition] = claim }
            }
            return claims
        }
    }

    /// `claims` were taken over by another worker: their partitions are lost until assigned again.
    /// Returns the partitions newly lost.
    @discardableResult
    func lose(_ claims: [PartitionClaim]) -> Set<KafkaTopicPartition> {
        state.withLock { state in
            var lost = Set<KafkaTopicPartition>()
            for claim in claims {
                let partition = KafkaTopicPartition(topic: claim.topic, partition: claim.partition)
                guard state.held[partition]?.epoch == claim.epoch else { continue }
                state.held[partition] = nil
                state.lost.insert(partition)
                lost.insert(partition)
            }
            return lost
        }
    }
}

extension KafkaConsumerMessage {
    /// The message's topic and partition.
    var topicPartition: KafkaTopicPartition { KafkaTopicPartition(topic: topic, partition: partition) }
}
