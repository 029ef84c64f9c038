extension JSONValue {
    /// Parses one JSON text; nil when it is not valid JSON (or exceeds ``WireLimits``).
    public static func parse(_ text: String) -> JSONValue? {
        try? parse(text.utf8, for: "JSON")
    }

    /// The member `key` of an object (the first, if the text repeats it); nil for other values.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.first { $0.key == key }?.value }
        return nil
    }

    /// The value as text filters compare: strings as they are, numbers as written, booleans as
    /// `true`/`false`; nil for null, arrays and objects.
    public var comparableText: String? {
        switch self {
        case .string(let text), .number(let text): text
        case .bool(let value): value ? "true" : "false"
        case .null, .array, .object: nil
        }
    }
}

/// Builds JSON text from parts (the CLI's output lines), escaping as the messages' JSON does.
public enum JSONText {
    /// `text` as a JSON string literal.
    public static func quoted(_ text: String) -> String {
        var writer = JSONWriter()
        writer.string(text)
        return writer.text
    }

    /// An object from members whose values are already JSON text, in the given order.
    public static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { quoted($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }
}
