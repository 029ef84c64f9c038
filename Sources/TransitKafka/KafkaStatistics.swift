import Foundation

/// The figures TrialTransit reads from librdkafka's statistics (`statistics.interval.ms`, see
/// ``KafkaClientConfiguration/statisticsInterval``): one snapshot per client and interval.
public struct KafkaStatistics: Sendable, Hashable {
    /// The client handle's name (client id, kind and a number), unique in the process.
    public var name: String
    /// `producer` or `consumer`.
    public var type: String
    /// Messages waiting in the producer's queues (sent or not, not yet acknowledged).
    public var producerQueueMessages: Int
    /// Average round-trip time to each broker over the interval, by broker node id (brokers with
    /// no request in the interval are left out).
    public var brokerRoundTrip: [Int32: Duration]
    /// Consumer lag of each assigned partition (high watermark minus the consumer's position);
    /// partitions whose lag librdkafka does not know yet are left out.
    public var consumerLag: [KafkaTopicPartition: Int64]

    /// Parses librdkafka's statistics JSON; nil when it is not an object with a name and type.
    public init?(json: some Collection<UInt8>) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
            let name = object["name"] as? String, let type = object["type"] as? String
        else { return nil }
        self.name = name
        self.type = type
        producerQueueMessages = Self.int(object["msg_cnt"]) ?? 0
        brokerRoundTrip = [:]
        for case let broker as [String: Any] in (object["brokers"] as? [String: Any])?.values ?? [:].values {
            guard let node = Self.int(broker["nodeid"]), node >= 0,
                let rtt = broker["rtt"] as? [String: Any], let count = Self.int(rtt["cnt"]), count > 0,
                let average = Self.int(rtt["avg"])
            else { continue }
            brokerRoundTrip[Int32(node)] = .microseconds(average)
        }
        consumerLag = [:]
        for case let (topic, value as [String: Any]) in object["topics"] as? [String: Any] ?? [:] {
            for case let partition as [String: Any] in (value["partitions"] as? [String: Any])?.values ?? [:].values {
                guard let id = Self.int(partition["partition"]), id >= 0, let lag = Self.lag(of: partition) else { continue }
                consumerLag[KafkaTopicPartition(topic: topic, partition: Int32(id))] = Int64(lag)
            }
        }
    }

    /// librdkafka's `consumer_lag`; 0 for a partition with nothing in it (librdkafka says -1
    /// there, as it knows no position before a first record); nil when unknown.
    private static func lag(of partition: [String: Any]) -> Int? {
        if let lag = int(partition["consumer_lag"]), lag >= 0 { return lag }
        guard let low = int(partition["lo_offset"]), let high = int(partition["hi_offset"]), high >= 0, low == high,
            (partition["fetch_state"] as? String) == "active"
        else { return nil }
        return 0
    }

    private static func int(_ value: Any?) -> Int? {
        (value as? NSNumber)?.intValue
    }
}
