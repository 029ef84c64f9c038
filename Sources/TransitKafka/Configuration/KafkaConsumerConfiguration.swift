import TransitTime

/// Settings of a ``KafkaConsumer``.
public struct KafkaConsumerConfiguration: Sendable {
    /// Where a group with no committed offset starts reading.
    public struct OffsetReset: Hashable, Sendable {
        let rawValue: String
        /// From the oldest message kept.
        public static let earliest = OffsetReset(rawValue: "earliest")
        /// Only messages written after the consumer joined.
        public static let latest = OffsetReset(rawValue: "latest")
        /// Fail with an error.
        public static let error = OffsetReset(rawValue: "error")
    }

    /// Broker, identity and security settings.
    public var client: KafkaClientConfiguration
    /// Consumer group id. Required for ``KafkaConsumer/subscribe(topics:)`` and commits. Default: nil.
    public var groupID: String?
    /// Where to start without a committed offset. Default: ``OffsetReset/earliest``.
    public var autoOffsetReset: OffsetReset
    /// Commit stored offsets in the background every ``autoCommitInterval``. Default: false: the
    /// application commits explicitly after its effects are durable.
    public var enableAutoCommit: Bool
    /// Interval of background commits when ``enableAutoCommit`` is on. Default: 5 s.
    public var autoCommitInterval: Duration
    /// Commit the stored offsets of partitions about to be revoked in a rebalance, before they are
    /// given up (after the application's revoke hook ran). Default: true.
    public var commitOnRevoke: Bool
    /// A member not heard from within this time is removed from the group. Default: 10 s.
    public var sessionTimeout: Duration
    /// Most time between two polls before the member is considered stuck. Default: 300 s.
    public var maxPollInterval: Duration
    /// How long a broker may hold a fetch waiting for data. Default: 100 ms (lower for RPC latency).
    public var fetchWaitMax: Duration
    /// Partition assignment strategy (librdkafka names). Default: `range,roundrobin`.
    public var assignmentStrategy: String
    /// Static group membership (KIP-345): a stable id per process (e.g. the pod name). A member that
    /// restarts with the same id takes its old place at once instead of waiting for the group to
    /// notice the old one is gone (which some brokers, the local one included, never do after a
    /// crash). Such a member does not leave the group on close. Default: nil (dynamic membership).
    public var groupInstanceID: String?

    public init(
        client: KafkaClientConfiguration = .init(),
        groupID: String? = nil,
        autoOffsetReset: OffsetReset = .earliest,
        enableAutoCommit: Bool = false,
        autoCommitInterval: Duration = .seconds(5),
        commitOnRevoke: Bool = true,
        sessionTimeout: Duration = .seconds(10),
        maxPollInterval: Duration = .seconds(300),
        fetchWaitMax: Duration = .milliseconds(100),
        assignmentStrategy: String = "range,roundrobin",
        groupInstanceID: String? = nil
    ) {
        self.groupInstanceID = groupInstanceID
        self.client = client
        self.groupID = groupID
        self.autoOffsetReset = autoOffsetReset
        self.enableAutoCommit = enableAutoCommit
        self.autoCommitInterval = autoCommitInterval
        self.commitOnRevoke = commitOnRevoke
        self.sessionTimeout = sessionTimeout
        self.maxPollInterval = maxPollInterval
        self.fetchWaitMax = fetchWaitMax
        self.assignmentStrategy = assignmentStrategy
    }

    /// The librdkafka properties this configuration stands for (raw properties included), e.g.
    /// to run a plain C client with identical settings.
    public var librdkafkaProperties: [String: String] { properties }

    var properties: [String: String] {
        var properties = client.properties
        if let groupID { properties["group.id"] = groupID }
        // librdkafka requires fetch.max.bytes + 512 <= receive.message.max.bytes.
        properties["fetch.max.bytes"] = String(Swift.max(1, Swift.min(client.receiveMessageMaxBytes - 512, 52_428_800)))
        properties["auto.offset.reset"] = autoOffsetReset.rawValue
        properties["enable.auto.commit"] = String(enableAutoCommit)
        properties["auto.commit.interval.ms"] = String(autoCommitInterval.milliseconds)
        properties["enable.auto.offset.store"] = "false"
        properties["session.timeout.ms"] = String(sessionTimeout.milliseconds)
        properties["max.poll.interval.ms"] = String(maxPollInterval.milliseconds)
        properties["fetch.wait.max.ms"] = String(fetchWaitMax.milliseconds)
        properties["partition.assignment.strategy"] = assignmentStrategy
        if let groupInstanceID { properties["group.instance.id"] = groupInstanceID }
        properties.merge(client.rawProperties) { _, raw in raw }
        return properties
    }
}
