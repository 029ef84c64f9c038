import TransitKafka
import TransitWire

/// One record as a JSON object: position, timestamp, key, headers and the decoded value
/// (`value`), or `valueBase64` and `problem` when it does not decode.
enum RecordJSON {
    static func render(
        topic: String, partition: Int32?, offset: Int64?, timestamp: Int64?, key: [UInt8]?, headers: [KafkaHeader],
        value: ArraySlice<UInt8>, decoded: DecodedRecord, extra: [(String, String)] = []
    ) -> String {
        var members: [(String, String)] = [("topic", JSONText.quoted(topic))]
        if let partition { members.append(("partition", String(partition))) }
        if let offset { members.append(("offset", String(offset))) }
        if let timestamp { members.append(("timestamp", String(timestamp))) }
        members.append(("key", key.map { JSONText.quoted(String(decoding: $0, as: UTF8.self)) } ?? "null"))
        members.append(("headers", headersJSON(headers)))
        members += extra
        if let typeName = decoded.typeName { members.append(("type", JSONText.quoted(typeName))) }
        if let json = decoded.json {
            members.append(("value", json))
        } else {
            members.append(("valueBase64", JSONText.quoted(Base64.encode(Array(value)))))
            if let problem = decoded.problem { members.append(("problem", JSONText.quoted(problem))) }
        }
        return JSONText.object(members)
    }

    static func render(_ message: KafkaConsumerMessage, decoded: DecodedRecord) -> String {
        render(
            topic: message.topic, partition: message.partition, offset: message.offset, timestamp: message.timestamp,
            key: message.key.map(Array.init), headers: message.headers, value: message.value, decoded: decoded)
    }

    /// Headers as an object of UTF-8 strings (null for a header without value); a repeated name keeps the last.
    static func headersJSON(_ headers: [KafkaHeader]) -> String {
        var seen: [String: Int] = [:]
        var members: [(String, String)] = []
        for header in headers {
            let value = header.stringValue.map(JSONText.quoted) ?? "null"
            if let index = seen[header.name] {
                members[index].1 = value
            } else {
                seen[header.name] = members.count
                members.append((header.name, value))
            }
        }
        return JSONText.object(members)
    }
}
