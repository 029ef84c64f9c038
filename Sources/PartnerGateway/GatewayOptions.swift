import TransitRPC

/// What the gateway is told at start (every field has the documented default of
/// `trialtransit partner-gateway --help`).
public struct GatewayOptions: Sendable {
    /// Topic names, with the deployment's prefix.
    public var topics: TransitTopics
    /// Retries of an outbound command before it is dead-lettered.
    public var retry: DeliveryRetryPolicy
    /// How far a request's timestamp may be from the gateway's clock, either way. Default: 5 minutes.
    public var replayWindow: Duration
    /// Largest update body accepted, bytes. Default: 64 KiB.
    public var maxBodyBytes: Int
    /// How long a delivery-log entry is kept after its last write; nil keeps every entry. Default:
    /// 30 days, longer than the partner topics keep records (a command read again after its entry
    /// went would be sent again).
    public var deliveryLogRetention: Duration?
    /// How often each forwarder prunes its partner's delivery log. Default: 10 minutes.
    public var deliveryLogPruneInterval: Duration

    public init(
        topics: TransitTopics = TransitTopics(), retry: DeliveryRetryPolicy = DeliveryRetryPolicy(),
        replayWindow: Duration = .seconds(300), maxBodyBytes: Int = 65_536,
        deliveryLogRetention: Duration? = .seconds(30 * 86_400), deliveryLogPruneInterval: Duration = .seconds(600)
    ) {
        self.topics = topics
        self.retry = retry
        self.replayWindow = replayWindow
        self.maxBodyBytes = maxBodyBytes
        self.deliveryLogRetention = deliveryLogRetention
        self.deliveryLogPruneInterval = deliveryLogPruneInterval
    }

    /// The consumer group reading one partner's requests topic.
    public func group(partnerID: String) -> String { "trialtransit.partner-gateway.\(partnerID)" }
}
