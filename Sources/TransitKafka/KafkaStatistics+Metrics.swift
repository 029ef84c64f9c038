import Metrics
import Synchronization

/// librdkafka's statistics as swift-metrics gauges (the process bootstraps the backend; without
/// one they cost nothing). Labels: the client handle's name, broker node ids, consumer group, topic
/// and partition; never a key or a payload.
///
/// - `trialtransit_consumer_lag{group,topic,partition}`: records between the group member's
///   position and the high watermark, per assigned partition (group consumers only).
/// - `trialtransit_kafka_broker_rtt_seconds{client,broker}`: average request round trip.
/// - `trialtransit_kafka_producer_queue_messages{client}`: messages in the producer's queues.
final class KafkaStatisticsGauges: Sendable {
    private let group: String?
    /// What the last snapshot reported, so that partitions and brokers gone are removed.
    private let reported = Mutex<(lag: Set<KafkaTopicPartition>, brokers: Set<Int32>, client: String?)>(([], [], nil))

    init(group: String?) {
        self.group = group
    }

    func record(_ statistics: KafkaStatistics) {
        let lag: [KafkaTopicPartition: Int64] = group == nil ? [:] : statistics.consumerLag
        for (partition, value) in lag { lagGauge(partition).record(value) }
        for (node, rtt) in statistics.brokerRoundTrip { rttGauge(statistics.name, node).record(rtt.seconds) }
        if statistics.type == "producer" { queueGauge(statistics.name).record(statistics.producerQueueMessages) }
        let gone = reported.withLock { reported in
            defer { reported = (Set(lag.keys), reported.brokers.union(statistics.brokerRoundTrip.keys), statistics.name) }
            return reported.lag.subtracting(lag.keys)
        }
        for partition in gone { lagGauge(partition).destroy() }
    }

    /// Removes every gauge of the client (it is closed).
    func removeAll() {
        let (lag, brokers, client) = reported.withLock { $0 }
        for partition in lag { lagGauge(partition).destroy() }
        guard let client else { return }
        for node in brokers { rttGauge(client, node).destroy() }
        queueGauge(client).destroy()
    }

    private func lagGauge(_ partition: KafkaTopicPartition) -> Gauge {
        Gauge(
            label: "trialtransit_consumer_lag",
            dimensions: [("group", group ?? ""), ("topic", partition.topic), ("partition", String(partition.partition))])
    }

    private func rttGauge(_ client: String, _ node: Int32) -> Gauge {
        Gauge(label: "trialtransit_kafka_broker_rtt_seconds", dimensions: [("client", client), ("broker", String(node))])
    }

    private func queueGauge(_ client: String) -> Gauge {
        Gauge(label: "trialtransit_kafka_producer_queue_messages", dimensions: [("client", client)])
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
