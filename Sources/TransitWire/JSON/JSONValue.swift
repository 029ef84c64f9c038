/// A parsed JSON value. Numbers keep their literal text so 64-bit integers lose nothing; object
/// members keep their order. The one JSON reader of the project: generated messages' proto3 JSON
/// and the CLI's filters and input checks use it.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    /// Parses one JSON text (RFC 8259), enforcing `WireLimits`.
    static func parse(_ text: some Collection<UInt8>, for protoName: String) throws(WireError) -> JSONValue {
        let limit = WireLimits.maxMessageBytes
        guard text.count <= limit else {
            throw WireError(.tooLarge, "\(protoName): \(text.count) bytes of JSON exceed the limit of \(limit)")
        }
        let bytes = (text as? [UInt8]) ?? Array(text)
        var parser = JSONParser(bytes, protoName: protoName)
        return try parser.parseDocument()
    }

    var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
