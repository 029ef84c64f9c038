internal import CRdKafka
import Logging
import TransitTime

/// Reads up to N messages from a librdkafka queue and copies them into Swift values.
///
/// All key and value bytes of a batch go into one array (one allocation, one `memcpy` per field);
/// every message is destroyed right after it was copied.
/// Sendable: it only holds the thread-safe client and queue handles.
struct RDKafkaBatchReader: @unchecked Sendable {
    let client: RDKafkaClient
    let queue: OpaquePointer

    /// Takes what is queued now, up to `max`, waiting up to `timeout` for the first message only.
    func read(max: Int, timeout: Duration) -> [KafkaConsumerMessage] {
        let limit = Swift.max(1, max)
        return withUnsafeTemporaryAllocation(of: UnsafeMutablePointer<rd_kafka_message_t>?.self, capacity: limit) { buffer in
            var count = 0
            if timeout > .zero {
                // librdkafka waits for a *full* batch until the timeout; wait for one message only,
                // then take whatever else is already there without waiting.
                count = Self.consume(queue, Int32(clamping: timeout.milliseconds), buffer.baseAddress!, 1)
                if count == 1 && limit > 1 {
                    count += Self.consume(queue, 0, buffer.baseAddress! + 1, limit - 1)
                }
            } else {
                count = Self.consume(queue, 0, buffer.baseAddress!, limit)
            }
            return copyOut(UnsafeMutableBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    private static func consume(
        _ queue: OpaquePointer, _ timeoutMs: Int32, _ into: UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>,
        _ size: Int
    ) -> Int {
        Swift.max(0, rd_kafka_consume_batch_queue(queue, timeoutMs, into, size))
    }

    private func copyOut(_ raw: UnsafeMutableBufferPointer<UnsafeMutablePointer<rd_kafka_message_t>?>) -> [KafkaConsumerMessage] {
        guard !raw.isEmpty else { return [] }
        defer { for pointer in raw { rd_kafka_message_destroy(pointer) } }

        var total = 0
        for pointer in raw {
            let m = pointer!.pointee
            if m.err == RD_KAFKA_RESP_ERR_NO_ERROR { total += m.len + m.key_len }
        }
        let storage = [UInt8](unsafeUninitializedCapacity: total) { bytes, initialized in
            var position = 0
            for pointer in raw {
                let m = pointer!.pointee
                guard m.err == RD_KAFKA_RESP_ERR_NO_ERROR else { continue }
                if m.key_len > 0 {
                    (bytes.baseAddress! + position).initialize(from: m.key.assumingMemoryBound(to: UInt8.self), count: m.key_len)
                    position += m.key_len
                }
                if m.len > 0 {
                    (bytes.baseAddress! + position).initialize(from: m.payload.assumingMemoryBound(to: UInt8.self), count: m.len)
                    position += m.len
                }
            }
            initialized = position
        }

        // Topic names first (usually one per batch), so that messages only hold an index. Error
        // events (e.g. max.poll.interval exceeded) may have no topic: they are reported below.
        var topics: [String] = []
        var topicHandles: [OpaquePointer?] = []
        var topicIndexes = [Int](repeating: 0, count: raw.count)
        for (index, pointer) in raw.enumerated() {
            guard pointer!.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR, let handle = pointer!.pointee.rkt else { continue }
            if let known = topicHandles.firstIndex(where: { $0 == handle }) {
                topicIndexes[index] = known
            } else {
                topicHandles.append(handle)
                topics.append(String(cString: rd_kafka_topic_name(handle)))
                topicIndexes[index] = topics.count - 1
            }
        }
        let shared = KafkaBatchStorage(bytes: storage, topics: topics)

        var messages: [KafkaConsumerMessage] = []
        messages.reserveCapacity(raw.count)
        var position = 0
        for (index, pointer) in raw.enumerated() {
            let m = pointer!.pointee
            guard m.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                reportError(pointer!)
                continue
            }
            let keyStart = position
            let keyLength = m.key == nil ? -1 : m.key_len
            position += m.key_len
            let valueStart = position
            position += m.len
            var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
            let timestamp = rd_kafka_message_timestamp(pointer, &timestampType)
            messages.append(
                KafkaConsumerMessage(
                    storage: shared, topicIndex: topicIndexes[index], partition: m.partition, offset: m.offset,
                    timestamp: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp,
                    keyStart: keyStart, keyLength: keyLength, valueStart: valueStart, valueLength: m.len,
                    headers: Self.headers(of: pointer!)))
        }
        return messages
    }

    private static func headers(of message: UnsafeMutablePointer<rd_kafka_message_t>) -> [KafkaHeader] {
        var list: OpaquePointer?
        guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        var headers: [KafkaHeader] = []
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
            headers.append(KafkaHeader(name: name.map { String(cString: $0) } ?? "", value: bytes))
            index += 1
        }
        return headers
    }

    /// Consumer errors arrive as messages; librdkafka keeps retrying by itself, so log them.
    private func reportError(_ message: UnsafeMutablePointer<rd_kafka_message_t>) {
        let m = message.pointee
        if m.err == RD_KAFKA_RESP_ERR__PARTITION_EOF { return }
        let text = rd_kafka_message_errstr(message).map { String(cString: $0) } ?? ""
        client.context.lastError.withLock { $0 = text }
        client.context.logger.warning(
            "consumer error",
            metadata: [
                KafkaLoggingKeys.error: "\(KafkaError(rdError: m.err)): \(text)",
                KafkaLoggingKeys.partition: "\(m.partition)",
            ])
    }
}
