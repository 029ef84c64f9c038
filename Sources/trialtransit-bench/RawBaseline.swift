internal import CKafkaBaseline

/// Calls the plain C librdkafka loops of `CKafkaBaseline` with the same properties the Swift side uses.
enum RawBaseline {
    struct Result {
        var messages: Int
        var seconds: Double
        var rate: Double { seconds > 0 ? Double(messages) / seconds : 0 }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func consume(brokers: String, topic: String, expected: Int, properties: [String: String]) throws -> Result {
        try withProperties(properties) { props in
            var out = tt_baseline_result()
            let rc = tt_baseline_consume(brokers, topic, Int64(expected), 30_000, props, &out)
            return try result(rc, &out)
        }
    }

    static func produce(brokers: String, topic: String, count: Int, size: Int, properties: [String: String]) throws -> Result {
        try withProperties(properties) { props in
            var out = tt_baseline_result()
            let rc = tt_baseline_produce(brokers, topic, Int64(count), size, props, &out)
            return try result(rc, &out)
        }
    }

    private static func result(_ rc: Int32, _ out: inout tt_baseline_result) throws -> Result {
        if rc != 0 {
            let text = withUnsafeBytes(of: &out.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw Failure(description: "raw librdkafka loop failed: \(text)")
        }
        return Result(messages: Int(out.messages), seconds: out.seconds)
    }

    /// Lends a NULL-terminated `key, value, …` C string array for the duration of `body`.
    static func withProperties<R>(
        _ properties: [String: String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) throws -> R
    ) rethrows -> R {
        let flat = properties.filter { $0.key != "bootstrap.servers" }.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
        let copies = flat.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) } + [nil]
        return try pointers.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }
}

#if canImport(Glibc)
import Glibc
#endif
