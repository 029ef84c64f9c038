/// The shape of a message type as proto3 JSON sees it: its fields and its oneofs, generated from
/// the protos by scripts/gen-swift-wire.py (``WireRegistry/schema(named:)``), so that tools can
/// check field paths and build documents without reading protobuf-c's descriptors.
public struct WireMessageSchema: Sendable, Hashable {
    /// Full proto name, e.g. `"trialtransit.v1.PatientReferred"`.
    public var name: String
    /// Fields in declaration order.
    public var fields: [WireFieldSchema]
    /// Oneofs with more than one member (a one-member `*_known` oneof is a presence flag, not listed).
    public var oneofs: [WireOneofSchema]

    public init(name: String, fields: [WireFieldSchema], oneofs: [WireOneofSchema]) {
        self.name = name
        self.fields = fields
        self.oneofs = oneofs
    }
}

/// One field of a ``WireMessageSchema``.
public struct WireFieldSchema: Sendable, Hashable {
    /// What a field holds.
    public indirect enum Kind: Sendable, Hashable {
        /// A scalar of the named proto type (`"string"`, `"bytes"`, `"bool"`, `"int64"`, `"double"`…).
        case scalar(String)
        /// An enum of the named type; `zero` is the name of its zero value.
        case enumeration(String, zero: String)
        /// A message of the named type (full proto name).
        case message(String)
        /// A map with keys of the named scalar type.
        case map(key: String, value: Kind)
    }

    /// Name in the `.proto` file.
    public var protoName: String
    /// lowerCamelCase name, as proto3 JSON writes it.
    public var jsonName: String
    public var kind: Kind
    /// A repeated field (maps are not).
    public var repeated: Bool
    /// The proto name of the oneof it belongs to, if any.
    public var oneof: String?

    public init(protoName: String, jsonName: String, kind: Kind, repeated: Bool = false, oneof: String? = nil) {
        self.protoName = protoName
        self.jsonName = jsonName
        self.kind = kind
        self.repeated = repeated
        self.oneof = oneof
    }
}

/// A oneof of a ``WireMessageSchema``.
public struct WireOneofSchema: Sendable, Hashable {
    /// The name of the generated Swift property that holds it, e.g. `"body"`.
    public var name: String
    /// JSON names of its members, in declaration order.
    public var members: [String]

    public init(name: String, members: [String]) {
        self.name = name
        self.members = members
    }
}
