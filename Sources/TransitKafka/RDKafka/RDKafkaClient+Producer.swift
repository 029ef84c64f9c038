internal import CRdKafka
internal import CRdKafkaShim
import TransitTime

/// What librdkafka did with one message handed to ``RDKafkaClient/produce(_:tracker:)``.
enum RDKafkaProduceResult {
    /// Queued for delivery; its report will reach the tracker.
    case enqueued
    /// The local queue is full: try again once the poll loop has served delivery reports.
    case queueFull
    /// Refused for good (unknown partition, message too large, fatal client error…).
    case refused(KafkaError)
}

/// The producer calls of a client handle: produce, flush, poll.
extension RDKafkaClient {
    /// Creates a producer handle whose delivery reports go to ``deliveryReportCallback``.
    static func makeProducer(properties: [String: String], context: RDKafkaClientContext) throws -> RDKafkaClient {
        try RDKafkaClient(kind: .producer, properties: properties, context: context) { conf in
            rd_kafka_conf_set_dr_msg_cb(conf, deliveryReportCallback)
        }
    }

    /// One `rd_kafka_producev` call. The ticket is retained once per enqueued message, released by
    /// the delivery callback; when librdkafka refuses the message the retain is dropped here.
    func produce(_ message: KafkaProducerMessage, ticket: DeliveryTicket?) -> RDKafkaProduceResult {
        let opaque = ticket.map { Unmanaged.passRetained($0).toOpaque() }
        let headers = RDKafkaHeaders.make(message.headers)
        let err = message.value.withUnsafeBytes { value in
            withOptionalBytes(message.key) { key in
                tt_produce(
                    handle, message.topic, message.partition ?? -1,
                    key?.baseAddress, key?.count ?? 0, value.baseAddress, value.count,
                    headers, message.timestamp ?? 0, opaque)
            }
        }
        if err == RD_KAFKA_RESP_ERR_NO_ERROR { return .enqueued }
        if let headers { rd_kafka_headers_destroy(headers) }  // still ours when producev fails
        if let opaque { Unmanaged<DeliveryTicket>.fromOpaque(opaque).release() }
        if err == RD_KAFKA_RESP_ERR__QUEUE_FULL { return .queueFull }
        return .refused(fatalError() ?? error(err, "produce to \(message.topic)"))
    }

    /// Blocks until every enqueued message has a delivery report, or throws after `timeout`.
    func flush(timeout: Duration) throws {
        let err = rd_kafka_flush(handle, Int32(clamping: timeout.milliseconds))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            let pending = rd_kafka_outq_len(handle)
            throw error(err, "flush: \(pending) messages still in flight after \(timeout)")
        }
    }

    /// Serves queued callbacks (delivery reports, errors, logs), waiting up to `milliseconds` for one.
    func poll(milliseconds: Int32) {
        rd_kafka_poll(handle, milliseconds)
    }
}

private func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { body($0) }
}
