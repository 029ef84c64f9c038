internal import CRdKafka
import Logging
import TransitTime

/// Owns one `rd_kafka_t` handle and the context its callbacks see.
///
/// `rd_kafka_new` takes ownership of the configuration only on success; on failure this type
/// destroys it. `deinit` destroys the handle, then releases the context it retained.
/// librdkafka handles are thread-safe, hence `@unchecked Sendable`.
final class RDKafkaClient: @unchecked Sendable {
    enum Kind { case producer, consumer }

    let handle: OpaquePointer
    let context: RDKafkaClientContext
    /// nil for a borrowed view of a handle owned elsewhere (see ``init(borrowing:context:)``).
    private let contextReference: Unmanaged<RDKafkaClientContext>?

    /// Creates the handle. `configure` may install more callbacks on the configuration first.
    init(
        kind: Kind, properties: [String: String], context: RDKafkaClientContext,
        configure: (OpaquePointer) -> Void = { _ in }
    ) throws {
        let conf = try RDKafkaConfig.make(properties)
        RDKafkaClientContext.installCallbacks(on: conf, tls: properties["security.protocol"]?.hasSuffix("ssl") == true)
        configure(conf)
        let reference = Unmanaged.passRetained(context)
        rd_kafka_conf_set_opaque(conf, reference.toOpaque())

        var errorText = [CChar](repeating: 0, count: 512)
        let type = kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER
        guard let handle = rd_kafka_new(type, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            reference.release()
            let reason = errorText.nullTerminatedString
            throw KafkaError.invalidConfiguration("cannot create Kafka client: \(reason)")
        }
        self.handle = handle
        self.context = context
        self.contextReference = reference
    }

    /// A non-owning view of a handle that librdkafka passes to a callback; it destroys nothing.
    init(borrowing handle: OpaquePointer, context: RDKafkaClientContext) {
        self.handle = handle
        self.context = context
        self.contextReference = nil
    }

    deinit {
        guard let contextReference else { return }
        rd_kafka_destroy(handle)
        context.statistics.removeAll()
        contextReference.release()
    }

    /// The fatal error of this client, if it hit one (idempotent producer sequence errors and the like).
    func fatalError() -> KafkaError? {
        var text = [CChar](repeating: 0, count: 512)
        let err = rd_kafka_fatal_error(handle, &text, text.count)
        guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        var error = KafkaError(rdError: err, context: "fatal client error")
        error.message += ": " + text.nullTerminatedString
        error.isFatal = true
        return error
    }

    /// A librdkafka error enriched with the last connection-level error seen, so that a timeout
    /// against an unreachable broker says why; a time-out after a failed TLS or SASL handshake is
    /// that failure (``KafkaError/Code/authentication``), in one sentence.
    func error(_ err: rd_kafka_resp_err_t, _ what: String) -> KafkaError {
        var error = KafkaError(rdError: err, context: what)
        if [.timedOut, .connection, .authentication].contains(error.code), let handshake = context.handshakeFailure.withLock({ $0 }) {
            return KafkaError(code: .authentication, message: handshake.text, rawCode: err.rawValue)
        }
        if let last = context.lastError.withLock({ $0 }) {
            error.message += " (last broker error: \(last))"
        }
        return error
    }

    /// The failed TLS or SASL handshake that retrying cannot fix, if the last one was such.
    func handshakeRefusal() -> KafkaError? {
        guard let failure = context.handshakeFailure.withLock({ $0 }), failure.isRefusal else { return nil }
        return KafkaError(code: .authentication, message: failure.text)
    }

    /// Fetches metadata for one topic or all topics.
    func metadata(topic: String?, timeout: Duration) throws -> RDKafkaMetadata {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let err: rd_kafka_resp_err_t
        if let topic {
            let rkt = rd_kafka_topic_new(handle, topic, nil)
            defer { rd_kafka_topic_destroy(rkt) }
            err = rd_kafka_metadata(handle, 0, rkt, &metadata, Int32(clamping: timeout.milliseconds))
        } else {
            err = rd_kafka_metadata(handle, 1, nil, &metadata, Int32(clamping: timeout.milliseconds))
        }
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw self.error(err, "metadata request")
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        return RDKafkaMetadata(metadata.pointee)
    }

    /// Low and high watermark offsets of one partition, asked of the broker.
    func watermarks(topic: String, partition: Int32, timeout: Duration) throws -> (low: Int64, high: Int64) {
        var low: Int64 = 0
        var high: Int64 = 0
        let err = rd_kafka_query_watermark_offsets(
            handle, topic, partition, &low, &high, Int32(clamping: timeout.milliseconds))
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw self.error(err, "watermarks of \(topic)/\(partition)")
        }
        return (low, high)
    }
}

/// Topic metadata copied out of librdkafka's metadata struct.
struct RDKafkaMetadata {
    var topics: [KafkaTopicMetadata]

    init(_ metadata: rd_kafka_metadata) {
        topics = (0..<Int(metadata.topic_cnt)).map { index in
            let topic = metadata.topics[index]
            let partitions = (0..<Int(topic.partition_cnt)).map { p in
                KafkaPartitionMetadata(id: topic.partitions[p].id, leader: topic.partitions[p].leader)
            }
            return KafkaTopicMetadata(
                name: String(cString: topic.topic),
                partitions: partitions.sorted { $0.id < $1.id },
                error: topic.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(rdError: topic.err)
            )
        }
    }
}
