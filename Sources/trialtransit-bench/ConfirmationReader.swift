import Logging
import TransitKafka
import TransitWire

/// Reads the booking events topic from its start, once the worker has handled every input, and
/// counts bookings with a `RideConfirmed` (each booking once: an outbox may publish a message
/// twice). Times come from the records' timestamps (the worker's outbox producer stamps each record
/// when it hands it to librdkafka), so nothing fetches the topic while the worker is measured.
final class ConfirmationReader {
    private let consumer: KafkaConsumer
    private(set) var confirmed: Set<String> = []
    /// Unix milliseconds of the first `RideOffered` and of the first and latest `RideConfirmed`.
    private(set) var firstOfferAt: Int64?
    private(set) var firstConfirmationAt: Int64?
    private(set) var lastConfirmationAt: Int64?

    init(topic: String, client: KafkaClientConfiguration, logger: Logger) async throws {
        consumer = try KafkaConsumer(configuration: KafkaConsumerConfiguration(client: client), logger: logger)
        let partitions = try await consumer.metadata(topic: topic).first?.partitions ?? []
        try consumer.assign(
            partitions.map { KafkaTopicPartitionOffset(topic: topic, partition: $0.id, offset: KafkaOffset.beginning) })
    }

    /// Reads until `bookings` bookings are confirmed; throws when for `stall` no new one was read.
    func read(bookings: Int, stall: Duration) async throws {
        let clock = ContinuousClock()
        var lastNew = clock.now
        while confirmed.count < bookings {
            let before = confirmed.count
            for message in try await consumer.poll(maxMessages: 10_000, timeout: .milliseconds(100)) {
                take(message)
            }
            if confirmed.count > before {
                lastNew = clock.now
            } else if clock.now - lastNew > stall {
                throw BenchStalled(
                    message: "the worker handled every input, but only \(confirmed.count)/\(bookings) bookings have a "
                        + "RideConfirmed on the booking events topic after \(stall) more")
            }
        }
    }

    private func take(_ message: KafkaConsumerMessage) {
        guard let event = try? BookingEvent(wireBytes: message.value), let at = message.timestamp else { return }
        if case .rideOffered = event.body { firstOfferAt = min(firstOfferAt ?? at, at) }
        guard case .rideConfirmed(let ride) = event.body, confirmed.insert(ride.bookingId).inserted else { return }
        firstConfirmationAt = min(firstConfirmationAt ?? at, at)
        lastConfirmationAt = max(lastConfirmationAt ?? at, at)
    }

    func close() async {
        try? await consumer.close()
    }
}
