/// A change of the partitions a group member owns.
public enum KafkaRebalanceEvent: Sendable, Equatable {
    /// These partitions were just assigned; reading starts at their committed offsets.
    case assigned([KafkaTopicPartition])
    /// These partitions are about to be revoked. The hook runs **before** they are given up, so a
    /// worker can finish its batch and commit.
    case revoking([KafkaTopicPartition])
}

/// What a rebalance hook may do while partitions are changing hands.
public struct KafkaRebalanceContext: Sendable {
    let client: RDKafkaClient

    /// Synchronously commits the offsets stored so far (``KafkaConsumer/store(_:)``).
    public func commitStoredOffsets() throws {
        try client.commitStoredOffsets("commit during rebalance")
    }
}

/// Called by the consumer on every rebalance, on the thread that polls, before revoking and after
/// assigning. It must not wait on Swift concurrency; it may commit through the context.
public typealias KafkaRebalanceHook = @Sendable (KafkaRebalanceEvent, KafkaRebalanceContext) -> Void

/// Rebalance settings and the hook, reachable from the C rebalance callback.
final class RebalanceState: Sendable {
    let commitOnRevoke: Bool
    let hook: KafkaRebalanceHook?

    init(commitOnRevoke: Bool, hook: KafkaRebalanceHook?) {
        self.commitOnRevoke = commitOnRevoke
        self.hook = hook
    }
}
