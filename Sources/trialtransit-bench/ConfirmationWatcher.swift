import Logging
import TransitKafka
import TransitWire

/// Reads the booking events topic from its start and counts bookings with a `RideConfirmed`
/// (each booking once: an outbox may publish a message twice); notes when the first offer and
/// the first and latest confirmations were seen.
final class ConfirmationWatcher {
    private let consumer: KafkaConsumer
    private(set) var confirmed: Set<String> = []
    /// When the latest new confirmation was seen.
    private(set) var lastConfirmation: ContinuousClock.Instant?
    private(set) var firstConfirmation: ContinuousClock.Instant?
    /// When the first `RideOffered` was seen (the worker's first offers are out).
    private(set) var firstOffer: ContinuousClock.Instant?

    init(topic: String, client: KafkaClientConfiguration, logger: Logger) async throws {
        consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: client, fetchWaitMax: .milliseconds(10)), logger: logger)
        let partitions = try await consumer.metadata(topic: topic).first?.partitions ?? []
        try consumer.assign(
            partitions.map { KafkaTopicPartitionOffset(topic: topic, partition: $0.id, offset: KafkaOffset.beginning) })
    }

    /// Reads what has arrived (waiting up to `timeout` for the first record).
    func poll(timeout: Duration) async throws {
        let messages = try await consumer.poll(maxMessages: 10_000, timeout: timeout)
        let seenAt = ContinuousClock.now
        for message in messages {
            guard let event = try? BookingEvent(wireBytes: message.value) else { continue }
            if case .rideOffered = event.body, firstOffer == nil { firstOffer = seenAt }
            guard case .rideConfirmed(let ride) = event.body, confirmed.insert(ride.bookingId).inserted else { continue }
            firstConfirmation = firstConfirmation ?? seenAt
            lastConfirmation = seenAt
        }
    }

    func close() async {
        try? await consumer.close()
    }
}
