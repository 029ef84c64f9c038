/// A worker's hold on one input partition in the store (docs/STORES.md, "Partition claims").
///
/// A worker claims each partition its group assigns to it (``TransitStore/claim(group:topic:partition:)``):
/// the partition's epoch grows by one and the claiming store instance becomes its claimant. From
/// then on, a transaction holding an earlier claim is refused (``StoreError/Code/fenced``: a paused
/// process whose partition the group gave to another writes nothing more), and the partition's
/// pending outbox rows, whoever wrote them, are the claimant's to publish, oldest first, before
/// its own (``OutboxScope/own(orphanedBefore:)``).
public struct PartitionClaim: Sendable, Hashable, CustomStringConvertible {
    /// The consumer group that reads the partition.
    public var group: String
    /// The input topic.
    public var topic: String
    /// The input partition.
    public var partition: Int32
    /// Grows by one with each claim of the partition (1 for the first).
    public var epoch: Int64

    public init(group: String, topic: String, partition: Int32, epoch: Int64) {
        self.group = group
        self.topic = topic
        self.partition = partition
        self.epoch = epoch
    }

    /// True when `other` is a claim of the same partition (of any epoch).
    public func samePartition(as other: PartitionClaim) -> Bool {
        group == other.group && topic == other.topic && partition == other.partition
    }

    public var description: String { "\(group):\(topic)/\(partition)@\(epoch)" }
}

extension [PartitionClaim] {
    /// Sorted by group, topic and partition: the order in which transactions lock claims.
    var lockOrder: [PartitionClaim] {
        sorted { ($0.group, $0.topic, $0.partition) < ($1.group, $1.topic, $1.partition) }
    }
}

extension [PartitionClaim] {
    /// Throws ``StoreError/Code/fenced`` naming the claims that are not the latest of their
    /// partitions; `latest` gives a partition's latest epoch (nil when it was never claimed).
    func verify(latest: (PartitionClaim) throws -> Int64?) throws {
        var fenced: [PartitionClaim] = []
        for claim in self where try latest(claim) != claim.epoch { fenced.append(claim) }
        guard !fenced.isEmpty else { return }
        throw StoreError(
            code: .fenced, message: "partitions claimed by another worker: \(fenced.map(\.description))", fencedClaims: fenced)
    }
}

extension OutboxMessage {
    /// The claim columns of an outbox row: group, topic, partition (-1 without a source) and epoch.
    var claimColumns: (group: String, topic: String, partition: Int64, epoch: Int64) {
        guard let source else { return ("", "", -1, 0) }
        return (source.group, source.topic, Int64(source.partition), source.epoch)
    }

    /// The source of a row read back from its claim columns.
    static func source(group: String, topic: String, partition: Int64, epoch: Int64) -> PartitionClaim? {
        partition < 0 ? nil : PartitionClaim(group: group, topic: topic, partition: Int32(partition), epoch: epoch)
    }
}
