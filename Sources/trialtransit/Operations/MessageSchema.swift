import TransitWire

/// The proto3 JSON shape of one message type: its fields by JSON name and its oneofs.
///
/// Built from the generated schema metadata (see ``SchemaRegistry``); used to check filter
/// paths before anything is read and to wrap bodies into envelopes.
struct MessageSchema: Sendable {
    /// What a field holds.
    enum Shape: Sendable, Hashable {
        /// A scalar; `defaultText` is how its proto3 default compares in a filter.
        case scalar(defaultText: String)
        /// An enum; `defaultText` is the name of its zero value.
        case enumeration(defaultText: String)
        /// A message of the named type.
        case message(String)
        /// A map; keys are any string, values have `value`'s shape.
        indirect case map(value: Shape)
    }

    /// One field.
    struct Field: Sendable, Hashable {
        /// lowerCamelCase name, as proto3 JSON writes it.
        var jsonName: String
        /// Name in the `.proto` file.
        var protoName: String
        var shape: Shape
        var repeated: Bool
        /// Member of a oneof: absent means "not set", not "default".
        var inOneof: Bool
    }

    /// A oneof with more than one member (e.g. `body`): in JSON only the set member appears.
    struct Oneof: Sendable, Hashable {
        /// The oneof's name as the Swift property is called (`body`).
        var name: String
        /// JSON names of its members.
        var members: [String]
    }

    var protoName: String
    var fields: [Field]
    var oneofs: [Oneof]

    /// The field called `name` (JSON or proto name).
    func field(named name: String) -> Field? {
        fields.first { $0.jsonName == name || $0.protoName == name }
    }

    /// The multi-member oneof called `name`.
    func oneof(named name: String) -> Oneof? {
        oneofs.first { $0.name == name }
    }

    /// The member of a oneof whose message type is `typeName`.
    func oneofMember(ofType typeName: String) -> Field? {
        let members = Set(oneofs.flatMap(\.members))
        return fields.first { members.contains($0.jsonName) && $0.shape == .message(typeName) }
    }

    /// proto3 JSON name of a proto field name: underscores dropped, the letter after each upper-cased.
    static func jsonName(_ protoName: String) -> String {
        var result = ""
        var upperNext = false
        for character in protoName {
            if character == "_" {
                upperNext = true
            } else if upperNext {
                result += character.uppercased()
                upperNext = false
            } else {
                result.append(character)
            }
        }
        return result
    }
}
