/// A message to produce.
public struct KafkaProducerMessage: Sendable {
    public var topic: String
    /// Explicit partition, or nil to let the partitioner pick one from the key.
    public var partition: Int32?
    public var key: [UInt8]?
    public var value: [UInt8]
    public var headers: [KafkaHeader]
    /// Message timestamp in unix milliseconds, or nil for "now".
    public var timestamp: Int64?

    public init(
        topic: String, partition: Int32? = nil, key: [UInt8]? = nil, value: [UInt8],
        headers: [KafkaHeader] = [], timestamp: Int64? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }

    /// A message with a UTF-8 string key.
    public init(
        topic: String, partition: Int32? = nil, key: String, value: [UInt8], headers: [KafkaHeader] = [],
        timestamp: Int64? = nil
    ) {
        self.init(
            topic: topic, partition: partition, key: Array(key.utf8), value: value, headers: headers,
            timestamp: timestamp)
    }
}

/// Where a produced message landed.
public struct KafkaDeliveryReport: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
}
