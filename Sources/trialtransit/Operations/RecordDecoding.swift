import TransitKafka
import TransitWire

/// A consumed record's value decoded for display and filtering.
struct DecodedRecord: Sendable {
    /// The proto type used, if one is known.
    var typeName: String?
    /// proto3 JSON of the value, when it decoded.
    var json: String?
    /// Why the value is not shown as JSON (unknown type, decode error).
    var problem: String?

    /// The parsed JSON, for filters.
    var document: JSONValue? { json.flatMap(JSONValue.parse) }
}

/// Decodes record values with the type the topic catalog (or an explicit `--type`) gives.
struct RecordDecoder: Sendable {
    let catalog: TopicCatalog
    /// Type to use for every record instead of the catalog's.
    var typeOverride: String?

    func decode(_ message: KafkaConsumerMessage) -> DecodedRecord {
        decode(topic: message.topic, headers: message.headers, value: message.value)
    }

    func decode(topic: String, headers: [KafkaHeader], value: ArraySlice<UInt8>) -> DecodedRecord {
        guard let typeName = typeOverride ?? catalog.messageType(topic: topic, headers: headers) else {
            return DecodedRecord(typeName: nil, json: nil, problem: "no message type known for this topic (pass --type)")
        }
        guard let type = WireRegistry.messageType(named: typeName) else {
            return DecodedRecord(typeName: typeName, json: nil, problem: "unknown message type \(typeName)")
        }
        do {
            return DecodedRecord(typeName: typeName, json: try type.init(wireBytes: value).jsonString(), problem: nil)
        } catch {
            return DecodedRecord(typeName: typeName, json: nil, problem: "value does not decode as \(typeName): \(error.code.rawValue)")
        }
    }
}
