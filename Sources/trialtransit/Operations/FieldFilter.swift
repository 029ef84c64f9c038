import TransitWire

/// A `field=value` filter on a record's decoded message, as proto3 JSON.
///
/// The field is a dotted path of JSON (or proto) field names from the message's root, through
/// nested messages, oneof members and map keys: `patientRef=p-1`,
/// `patientReferred.conditionCode=C34.1`, `details.replay-id=…`. The name of a oneof with several
/// members stands for "which member is set": `body=visitCancelled`. A repeated field matches when
/// any element does. A field absent from the JSON has its proto3 default (`""`, `0`, `false`, the
/// enum's zero name), except oneof members and fields inside an absent message, which match nothing.
/// Paths are checked against the message type's schema when the filter is parsed.
struct FieldFilter: Sendable, CustomStringConvertible {
    enum Target: Sendable {
        /// The value at `path`; `defaultText` stands in when the last field is absent.
        case value(path: [String], defaultText: String?)
        /// Whether the object at `path` has `member` set.
        case oneofCase(path: [String], member: String)
    }

    let target: Target
    let expected: String

    /// Normalized form, e.g. `patientReferred.conditionCode=C34.1`.
    var description: String {
        switch target {
        case .value(let path, _): path.joined(separator: ".") + "=" + expected
        case .oneofCase(let path, _): (path + [oneofName]).joined(separator: ".") + "=" + expected
        }
    }

    private var oneofName: String

    /// Parses `field=value` and checks the path against the schema of `typeName`.
    init(parsing text: String, typeName: String) throws(OperationError) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw OperationError("filter '\(text)' is not FIELD=VALUE")
        }
        let pathText = String(text[..<equals])
        expected = String(text[text.index(after: equals)...])
        guard var schema = SchemaRegistry.schema(for: typeName) else {
            throw OperationError("cannot filter on fields of \(typeName): its schema is unknown")
        }
        let segments = pathText.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !segments.contains(where: \.isEmpty) else { throw OperationError("filter '\(text)': empty field name in '\(pathText)'") }
        var resolved: [String] = []
        var index = 0
        oneofName = ""
        while index < segments.count {
            let segment = segments[index]
            let last = index == segments.count - 1
            let shown = (resolved + [segment]).joined(separator: ".")
            if let field = schema.field(named: segment) {
                resolved.append(field.jsonName)
                var shape = field.shape
                var defaultText: String? = field.inOneof || field.repeated ? nil : Self.defaultText(shape)
                if case .map(let value) = shape {
                    guard !last else { throw OperationError("filter '\(text)': \(shown) is a map: name a key, e.g. \(shown).KEY=VALUE") }
                    index += 1
                    resolved.append(segments[index])
                    shape = value
                    defaultText = nil
                    if index == segments.count - 1 {
                        guard case .message(let type) = shape else {
                            target = .value(path: resolved, defaultText: nil)
                            return
                        }
                        throw OperationError("filter '\(text)': \(resolved.joined(separator: ".")) is a \(type): name one of its fields")
                    }
                }
                switch shape {
                case .message(let type):
                    guard index < segments.count - 1 else {
                        throw OperationError("filter '\(text)': \(shown) is a \(type): name one of its fields")
                    }
                    guard let nested = SchemaRegistry.schema(for: type) else {
                        throw OperationError("filter '\(text)': the schema of \(type) is unknown")
                    }
                    schema = nested
                case .scalar, .enumeration, .map:
                    guard index == segments.count - 1 else {
                        throw OperationError(
                            "filter '\(text)': \(resolved.joined(separator: ".")) has no fields (it is not a message)")
                    }
                    target = .value(path: resolved, defaultText: defaultText)
                    return
                }
            } else if let oneof = schema.oneof(named: segment), last {
                let member = MessageSchema.jsonName(expected)
                guard oneof.members.contains(member) else {
                    throw OperationError(
                        "filter '\(text)': \(shown) has no member '\(expected)' (one of \(oneof.members.joined(separator: ", ")))")
                }
                oneofName = oneof.name
                target = .oneofCase(path: resolved, member: member)
                return
            } else {
                throw OperationError("filter '\(text)': \(schema.protoName) has no field '\(segment)'")
            }
            index += 1
        }
        throw OperationError("filter '\(text)': incomplete field path")
    }

    private static func defaultText(_ shape: MessageSchema.Shape) -> String? {
        switch shape {
        case .scalar(let text), .enumeration(let text): text
        case .message, .map: nil
        }
    }

    /// Whether the decoded message (its proto3 JSON) matches.
    func matches(_ document: JSONValue) -> Bool {
        switch target {
        case .value(let path, let defaultText):
            for parent in Self.nodes(at: path.dropLast(), in: document) {
                guard case .object = parent else { continue }
                if let value = parent[path[path.count - 1]] {
                    if Self.flatten(value).contains(where: { Self.equal($0.comparableText, expected) }) { return true }
                } else if let defaultText, Self.equal(defaultText, expected) {
                    return true
                }
            }
            return false
        case .oneofCase(let path, let member):
            return Self.nodes(at: path[...], in: document).contains { $0[member] != nil }
        }
    }

    private static func nodes(at path: ArraySlice<String>, in document: JSONValue) -> [JSONValue] {
        var nodes = [document]
        for segment in path {
            nodes = nodes.flatMap { node in node[segment].map(flatten) ?? [] }
        }
        return nodes
    }

    private static func flatten(_ value: JSONValue) -> [JSONValue] {
        if case .array(let elements) = value { return elements }
        return [value]
    }

    private static func equal(_ actual: String?, _ expected: String) -> Bool {
        guard let actual else { return false }
        if actual == expected { return true }
        if let left = Double(actual), let right = Double(expected) { return left == right }
        return false
    }
}

/// What a replay or redrive selects: key and field filters, all of which must match.
struct RecordSelection: Sendable {
    var key: String?
    var filters: [FieldFilter]

    var isEmpty: Bool { key == nil && filters.isEmpty }

    /// The selection as audit details text, e.g. `key=p-1;body=visitCancelled`.
    var summary: String {
        ((key.map { ["key=" + $0] } ?? []) + filters.map(\.description)).joined(separator: ";")
    }

    /// Whether a record with this key and decoded JSON is selected; `json` nil means undecodable,
    /// which no field filter matches.
    func matches(key recordKey: String?, json: JSONValue?) -> Bool {
        if let key, recordKey != key { return false }
        guard !filters.isEmpty else { return true }
        guard let json else { return false }
        return filters.allSatisfy { $0.matches(json) }
    }
}
