/// Writes compact JSON into a byte buffer; generated `jsonString()` methods drive it.
struct JSONWriter {
    private var bytes: [UInt8] = []
    private var needsComma = false

    init() { bytes.reserveCapacity(256) }

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func beginArray() {
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Separator before an array element.
    mutating func element() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// A member name that needs no escaping (a generated field name).
    mutating func key(_ name: StaticString) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        needsComma = false
    }

    /// A member name from data (a map key).
    mutating func dynamicKey(_ name: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        string(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    private mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        needsComma = true
    }

    /// int32, uint32 (and their fixed and zigzag forms): a JSON number.
    mutating func number(_ value: some FixedWidthInteger) { raw(String(value)) }

    /// int64, uint64 (and their fixed and zigzag forms): a decimal string, as proto3 JSON wants.
    mutating func quoted(_ value: some FixedWidthInteger) { raw("\"\(value)\"") }

    mutating func double(_ value: Double) {
        if value.isNaN {
            raw("\"NaN\"")
        } else if value.isInfinite {
            raw(value < 0 ? "\"-Infinity\"" : "\"Infinity\"")
        } else {
            raw(value.description)
        }
    }

    mutating func float(_ value: Float) {
        if value.isNaN || value.isInfinite {
            double(Double(value))
        } else {
            raw(value.description)
        }
    }

    mutating func bool(_ value: Bool) { raw(value ? "true" : "false") }

    mutating func bytes(_ value: [UInt8]) { string(Base64.encode(value)) }

    /// An enum: its proto name, or its number when this build does not know it.
    mutating func enumValue<E: WireEnum>(_ value: E) {
        if let name = value.name { string(name) } else { number(value.rawValue) }
    }
}
