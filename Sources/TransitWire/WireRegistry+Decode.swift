extension WireRegistry {
    /// The message type whose full proto name is `name`; throws `.unknownMessageType` otherwise.
    public static func requireMessageType(named name: String) throws(WireError) -> any WireMessage.Type {
        guard let type = messageType(named: name) else {
            throw WireError(.unknownMessageType, "no message type named \"\(name)\" in the protos")
        }
        return type
    }

    /// Decodes protobuf binary bytes as the message type named `typeName`.
    public static func decode(typeNamed typeName: String, wireBytes bytes: [UInt8]) throws(WireError) -> any WireMessage {
        try requireMessageType(named: typeName).init(wireBytes: bytes)
    }

    /// Decodes proto3 JSON as the message type named `typeName`.
    public static func decode(typeNamed typeName: String, jsonUTF8 text: some Collection<UInt8>) throws(WireError)
        -> any WireMessage
    {
        try requireMessageType(named: typeName).init(jsonUTF8: text)
    }
}
