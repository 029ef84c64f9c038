/// Typed reads of JSON values into proto3 field types, used by generated `init(jsonUTF8:)`.
/// Every error names the message and the field, never the value.
extension JSONValue {
    private func mismatch(_ expected: String, _ field: String, _ message: String) -> WireError {
        WireError(.invalidJSON, "\(message).\(field): expected \(expected), got \(kind)")
    }

    static func unknownField(_ key: String, in message: String) -> WireError {
        WireError(.invalidJSON, "\(message): unknown field \"\(printable(key))\"")
    }

    static func duplicateOneof(_ oneof: String, _ field: String, in message: String) -> WireError {
        WireError(.invalidJSON, "\(message).\(field): oneof \(oneof) is already set")
    }

    /// `text` when it looks like an identifier (a field or enum name), else a placeholder.
    private static func printable(_ text: String) -> String {
        let ok = text.utf8.count <= 64 && text.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
        }
        return ok ? text : "<\(text.utf8.count) bytes>"
    }

    func members(of message: String) throws(WireError) -> [(key: String, value: JSONValue)] {
        guard case .object(let members) = self else {
            throw WireError(.invalidJSON, "\(message): expected an object, got \(kind)")
        }
        return members
    }

    func array(_ field: String, in message: String) throws(WireError) -> [JSONValue] {
        guard case .array(let elements) = self else { throw mismatch("an array", field, message) }
        return elements
    }

    func string(_ field: String, in message: String) throws(WireError) -> String {
        guard case .string(let value) = self else { throw mismatch("a string", field, message) }
        return value
    }

    func bool(_ field: String, in message: String) throws(WireError) -> Bool {
        guard case .bool(let value) = self else { throw mismatch("true or false", field, message) }
        return value
    }

    func bytes(_ field: String, in message: String) throws(WireError) -> [UInt8] {
        guard case .string(let text) = self, let value = Base64.decode(text) else {
            throw mismatch("a base64 string", field, message)
        }
        return value
    }

    /// An integer from a JSON number or a quoted number; `1e3` and `5.0` count when integral.
    func integer<T: FixedWidthInteger>(_: T.Type, _ field: String, in message: String) throws(WireError) -> T {
        let text: String
        switch self {
        case .number(let literal): text = literal
        case .string(let quoted) where JSONNumber.isValid(quoted): text = quoted
        default: throw mismatch("an integer", field, message)
        }
        if let value = T(text) { return value }
        if let real = Double(text), real.rounded(.towardZero) == real, let value = T(exactly: real) { return value }
        throw WireError(.invalidJSON, "\(message).\(field): not an integer in the range of \(T.self)")
    }

    func double(_ field: String, in message: String) throws(WireError) -> Double {
        switch self {
        case .number(let literal):
            if let value = Double(literal) { return value }
        case .string("NaN"): return .nan
        case .string("Infinity"): return .infinity
        case .string("-Infinity"): return -.infinity
        case .string(let quoted) where JSONNumber.isValid(quoted):
            if let value = Double(quoted) { return value }
        default: break
        }
        throw mismatch("a number", field, message)
    }

    func float(_ field: String, in message: String) throws(WireError) -> Float {
        let value = try double(field, in: message)
        guard value.isNaN || value.isInfinite || abs(value) <= Double(Float.greatestFiniteMagnitude) else {
            throw WireError(.invalidJSON, "\(message).\(field): out of the range of float")
        }
        return Float(value)
    }

    /// An enum from its proto name or its number (unknown numbers are kept).
    func enumValue<E: WireEnum>(_: E.Type, _ field: String, in message: String) throws(WireError) -> E {
        switch self {
        case .string(let name):
            guard let value = E(name: name) else {
                throw WireError(.invalidJSON, "\(message).\(field): unknown \(E.protoName) name \"\(Self.printable(name))\"")
            }
            return value
        case .number:
            return E(rawValue: try integer(Int32.self, field, in: message))
        default:
            throw mismatch("an enum name or number", field, message)
        }
    }

    /// A map key, which JSON always writes as a string.
    static func mapKey<T: FixedWidthInteger>(_ key: String, _: T.Type, _ field: String, in message: String) throws(WireError) -> T {
        guard let value = T(key) else {
            throw WireError(.invalidJSON, "\(message).\(field): map key is not an integer in the range of \(T.self)")
        }
        return value
    }

    static func mapKey(_ key: String, _: Bool.Type, _ field: String, in message: String) throws(WireError) -> Bool {
        switch key {
        case "true": return true
        case "false": return false
        default: throw WireError(.invalidJSON, "\(message).\(field): map key is not true or false")
        }
    }
}
