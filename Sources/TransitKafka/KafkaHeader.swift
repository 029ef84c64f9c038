/// A Kafka message header: transport metadata such as `correlation-id` or `traceparent`.
public struct KafkaHeader: Hashable, Sendable {
    public var name: String
    /// The value; nil for a header without value (distinct from an empty value).
    public var value: [UInt8]?

    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }

    /// A header with a UTF-8 string value.
    public init(name: String, string: String) {
        self.name = name
        self.value = Array(string.utf8)
    }

    /// The value decoded as UTF-8, if present.
    public var stringValue: String? { value.map { String(decoding: $0, as: UTF8.self) } }
}

extension Array where Element == KafkaHeader {
    /// The value of the last header with this name, decoded as UTF-8.
    public func string(_ name: String) -> String? {
        last { $0.name == name }?.stringValue
    }
}
