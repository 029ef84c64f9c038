import TransitTime

/// Settings of a ``KafkaProducer``.
public struct KafkaProducerConfiguration: Sendable {
    /// Broker, identity and security settings.
    public var client: KafkaClientConfiguration
    /// Idempotent producer: no duplicates or reordering on internal retries. Default: true.
    public var enableIdempotence: Bool
    /// How long to wait for more messages before sending a batch. Default: 5 ms (0 for lowest latency).
    public var linger: Duration
    /// How long librdkafka keeps trying to deliver a message before reporting a failure. Default: 30 s.
    public var deliveryTimeout: Duration
    /// Most messages waiting in the local queue. Default: 100,000.
    public var queueMaxMessages: Int
    /// Compression codec: `none`, `gzip`, `snappy`, `lz4`, `zstd`. Default: `none`.
    public var compression: String
    /// Partitioner. Default: `murmur2_random`, which places keys like the Java client (the wire
    /// contract requires every producer of a topic to use it; librdkafka's own default differs).
    public var partitioner: String
    /// Largest message the producer sends (`message.max.bytes`); a larger one is refused at once
    /// with ``KafkaError/Code/messageTooLarge``, a permanent failure. Default:
    /// ``defaultMaxMessageBytes``.
    public var maxMessageBytes: Int

    /// The one message-size limit of the system: the producer's `message.max.bytes`, the topics'
    /// `max.message.bytes` set by `trialtransit topics ensure`, and the decoders' default
    /// `WireLimits.maxMessageBytes` (TransitWire does not import this module; a test checks that
    /// the two agree). 1,000,000 bytes, Kafka's and librdkafka's own default.
    public static let defaultMaxMessageBytes = 1_000_000

    public init(
        client: KafkaClientConfiguration = .init(),
        enableIdempotence: Bool = true,
        linger: Duration = .milliseconds(5),
        deliveryTimeout: Duration = .seconds(30),
        queueMaxMessages: Int = 100_000,
        compression: String = "none",
        partitioner: String = "murmur2_random",
        maxMessageBytes: Int = defaultMaxMessageBytes
    ) {
        self.maxMessageBytes = maxMessageBytes
        self.partitioner = partitioner
        self.client = client
        self.enableIdempotence = enableIdempotence
        self.linger = linger
        self.deliveryTimeout = deliveryTimeout
        self.queueMaxMessages = queueMaxMessages
        self.compression = compression
    }

    /// The librdkafka properties this configuration stands for (raw properties included), e.g.
    /// to run a plain C client with identical settings.
    public var librdkafkaProperties: [String: String] { properties }

    var properties: [String: String] {
        var properties = client.properties
        properties["enable.idempotence"] = String(enableIdempotence)
        properties["linger.ms"] = String(linger.milliseconds)
        properties["message.timeout.ms"] = String(deliveryTimeout.milliseconds)
        properties["queue.buffering.max.messages"] = String(queueMaxMessages)
        properties["compression.codec"] = compression
        properties["partitioner"] = partitioner
        properties["message.max.bytes"] = String(maxMessageBytes)
        properties.merge(client.rawProperties) { _, raw in raw }
        return properties
    }
}
