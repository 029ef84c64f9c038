import TransitWire

/// Message schemas of every message type, from the schema metadata that scripts/gen-swift-wire.py
/// generates into TransitWire (``WireRegistry/schema(named:)``).
enum SchemaRegistry {
    /// The schema of the message type `name` (full proto name).
    static func schema(for name: String) -> MessageSchema? {
        WireRegistry.schema(named: name).map(MessageSchema.init)
    }
}

extension MessageSchema {
    /// The CLI's view of a generated schema: each field's shape with the text its proto3 default
    /// compares as in a filter.
    init(_ wire: WireMessageSchema) {
        self.init(
            protoName: wire.name,
            fields: wire.fields.map {
                Field(
                    jsonName: $0.jsonName, protoName: $0.protoName, shape: Self.shape($0.kind), repeated: $0.repeated,
                    inOneof: $0.oneof != nil)
            },
            oneofs: wire.oneofs.map { Oneof(name: $0.name, members: $0.members) })
    }

    private static func shape(_ kind: WireFieldSchema.Kind) -> Shape {
        switch kind {
        case .scalar("string"), .scalar("bytes"): .scalar(defaultText: "")
        case .scalar("bool"): .scalar(defaultText: "false")
        case .scalar: .scalar(defaultText: "0")
        case .enumeration(_, let zero): .enumeration(defaultText: zero)
        case .message(let name): .message(name)
        case .map(_, let value): .map(value: shape(value))
        }
    }
}
