internal import CRdKafka

/// Builds an `rd_kafka_conf_t` from property pairs.
enum RDKafkaConfig {
    /// Returns a new configuration; the caller owns it until `rd_kafka_new` succeeds with it.
    /// Throws ``KafkaError/Code/invalidConfiguration`` with librdkafka's message for an unknown
    /// property or an invalid value.
    static func make(_ properties: [String: String]) throws -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: .other, message: "rd_kafka_conf_new failed")
        }
        var errorText = [CChar](repeating: 0, count: 512)
        // Sorted so that a failure is reported deterministically.
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            let result = rd_kafka_conf_set(conf, key, value, &errorText, errorText.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                let reason = errorText.nullTerminatedString
                throw KafkaError.invalidConfiguration(
                    "invalid Kafka property \(key): \(reason.isEmpty ? "rejected by librdkafka" : reason)"
                )
            }
        }
        return conf
    }
}

extension Array where Element == CChar {
    /// The text of a NUL-terminated C string buffer (librdkafka's `errstr` arguments).
    var nullTerminatedString: String {
        String(decoding: prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
