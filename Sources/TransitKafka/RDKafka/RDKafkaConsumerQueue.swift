internal import CRdKafka

/// Owns the consumer queue reference. It keeps the client alive, so the queue is destroyed before
/// the client handle (`rd_kafka_destroy` closes the consumer if ``KafkaConsumer/close()`` was not called).
final class RDKafkaConsumerQueue: @unchecked Sendable {
    let handle: OpaquePointer
    private let client: RDKafkaClient

    init(handle: OpaquePointer, client: RDKafkaClient) {
        self.handle = handle
        self.client = client
    }

    deinit { rd_kafka_queue_destroy(handle) }
}
