internal import CRdKafka

/// Builds `rd_kafka_headers_t` lists for produced messages.
enum RDKafkaHeaders {
    /// A new header list, or nil when there are no headers. The caller owns it until
    /// `rd_kafka_producev` succeeds with it.
    static func make(_ headers: [KafkaHeader]) -> OpaquePointer? {
        guard !headers.isEmpty else { return nil }
        let list = rd_kafka_headers_new(headers.count)
        for header in headers {
            if let value = header.value {
                value.withUnsafeBytes { bytes in
                    _ = rd_kafka_header_add(list, header.name, -1, bytes.baseAddress, bytes.count)
                }
            } else {
                _ = rd_kafka_header_add(list, header.name, -1, nil, 0)
            }
        }
        return list
    }
}
