import CTransitProto
import TransitWire

/// Message schemas read from protobuf-c's descriptors (`ProtobufCMessageDescriptor`), for every
/// topic payload of the contract, every RPC request and response, and every message they contain.
///
/// protobuf-c's descriptors name fields, types and oneof membership but not oneofs: the name of a
/// oneof (`body`) is found by decoding a JSON object that sets one member and seeing which Swift
/// property of the generated type became non-nil.
enum SchemaRegistry {
    /// The schema of the message type `name` (full proto name).
    static func schema(for name: String) -> MessageSchema? {
        schemas[name]
    }

    private static let schemas: [String: MessageSchema] = {
        var builder = Builder()
        withUnsafePointer(to: trialtransit__v1__enrollment_event__descriptor) { builder.add($0) }
        withUnsafePointer(to: trialtransit__v1__travel_event__descriptor) { builder.add($0) }
        withUnsafePointer(to: trialtransit__v1__trial_definition__descriptor) { builder.add($0) }
        withUnsafePointer(to: trialtransit__v1__trial_access_event__descriptor) { builder.add($0) }
        withUnsafePointer(to: trialtransit__v1__booking_event__descriptor) { builder.add($0) }
        withUnsafePointer(to: trialtransit__v1__partner_ride_command__descriptor) { builder.add($0) }
        withUnsafePointer(to: trialtransit__v1__partner_ride_update__descriptor) { builder.add($0) }
        withUnsafePointer(to: trialtransit__v1__audit_record__descriptor) { builder.add($0) }
        for service in [
            trialtransit__v1__trial_access__descriptor, trialtransit__v1__transport_booking__descriptor,
            trialtransit__v1__health__descriptor,
        ] {
            for index in 0..<Int(service.n_methods) {
                let method = service.methods[index]
                builder.add(method.input)
                builder.add(method.output)
            }
        }
        return builder.schemas
    }()

    private struct Builder {
        var schemas: [String: MessageSchema] = [:]

        mutating func add(_ descriptor: UnsafePointer<ProtobufCMessageDescriptor>) {
            let name = String(cString: descriptor.pointee.name)
            guard schemas[name] == nil else { return }
            schemas[name] = MessageSchema(protoName: name, fields: [], oneofs: [])  // guards against cycles
            var fields: [MessageSchema.Field] = []
            var groups: [UInt32: [String]] = [:]
            var groupOrder: [UInt32] = []
            for index in 0..<Int(descriptor.pointee.n_fields) {
                let field = descriptor.pointee.fields[index]
                let protoName = String(cString: field.name)
                let inOneof = field.flags & UInt32(PROTOBUF_C_FIELD_FLAG_ONEOF.rawValue) != 0
                let repeated = field.label == PROTOBUF_C_LABEL_REPEATED
                var shape = scalarShape(field)
                if field.type == PROTOBUF_C_TYPE_MESSAGE, let nested = field.descriptor {
                    let message = nested.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
                    if repeated, let value = mapValueShape(message) {
                        shape = .map(value: value)
                    } else {
                        add(message)
                        shape = .message(String(cString: message.pointee.name))
                    }
                }
                let jsonName = MessageSchema.jsonName(protoName)
                fields.append(
                    MessageSchema.Field(
                        jsonName: jsonName, protoName: protoName, shape: shape, repeated: repeated && !isMap(shape),
                        inOneof: inOneof))
                if inOneof {
                    if groups[field.quantifier_offset] == nil { groupOrder.append(field.quantifier_offset) }
                    groups[field.quantifier_offset, default: []].append(jsonName)
                }
            }
            var oneofs: [MessageSchema.Oneof] = []
            for offset in groupOrder {
                let members = groups[offset] ?? []
                guard members.count > 1, let first = fields.first(where: { $0.jsonName == members[0] }),
                    let oneofName = Self.oneofName(type: name, settingMember: first, fields: fields)
                else { continue }
                oneofs.append(MessageSchema.Oneof(name: oneofName, members: members))
            }
            schemas[name] = MessageSchema(protoName: name, fields: fields, oneofs: oneofs)
        }

        private func isMap(_ shape: MessageSchema.Shape) -> Bool {
            if case .map = shape { return true }
            return false
        }

        /// The shape of a map's values when `entry` is a protoc map-entry message (`key` = 1, `value` = 2).
        private mutating func mapValueShape(_ entry: UnsafePointer<ProtobufCMessageDescriptor>) -> MessageSchema.Shape? {
            let shortName = String(cString: entry.pointee.short_name)
            guard shortName.hasSuffix("Entry"), entry.pointee.n_fields == 2,
                String(cString: entry.pointee.fields[0].name) == "key",
                String(cString: entry.pointee.fields[1].name) == "value"
            else { return nil }
            let value = entry.pointee.fields[1]
            if value.type == PROTOBUF_C_TYPE_MESSAGE, let nested = value.descriptor {
                let message = nested.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
                add(message)
                return .message(String(cString: message.pointee.name))
            }
            return scalarShape(value)
        }

        private func scalarShape(_ field: ProtobufCFieldDescriptor) -> MessageSchema.Shape {
            switch field.type {
            case PROTOBUF_C_TYPE_STRING, PROTOBUF_C_TYPE_BYTES:
                return .scalar(defaultText: "")
            case PROTOBUF_C_TYPE_BOOL:
                return .scalar(defaultText: "false")
            case PROTOBUF_C_TYPE_ENUM:
                guard let raw = field.descriptor else { return .enumeration(defaultText: "0") }
                let descriptor = raw.assumingMemoryBound(to: ProtobufCEnumDescriptor.self)
                for index in 0..<Int(descriptor.pointee.n_values) where descriptor.pointee.values[index].value == 0 {
                    return .enumeration(defaultText: String(cString: descriptor.pointee.values[index].name))
                }
                return .enumeration(defaultText: "0")
            default:
                return .scalar(defaultText: "0")
            }
        }

        /// The Swift property that holds the oneof of `member`: decode `{"<member>": <zero>}` with
        /// the generated type and find the property that is set but is no plain field.
        private static func oneofName(type: String, settingMember member: MessageSchema.Field, fields: [MessageSchema.Field])
            -> String?
        {
            guard let messageType = WireRegistry.messageType(named: type) else { return nil }
            let zero: String
            switch member.shape {
            case .message, .map: zero = "{}"
            case .enumeration: zero = "0"
            case .scalar(let text): zero = text.isEmpty ? "\"\"" : text
            }
            guard let value = try? messageType.init(jsonUTF8: Array("{\"\(member.jsonName)\":\(zero)}".utf8)) else { return nil }
            let plain = Set(fields.filter { !$0.inOneof }.map(\.jsonName))
            for child in Mirror(reflecting: value).children {
                guard let label = child.label, !plain.contains(label) else { continue }
                let optional = Mirror(reflecting: child.value)
                if optional.displayStyle == .optional && !optional.children.isEmpty { return label }
            }
            return nil
        }
    }
}
