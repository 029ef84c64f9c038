/// A strict pull reader of one JSON document, for the hand-written state decoders.
///
/// It reads standard JSON (RFC 8259: any whitespace, escapes including surrogate pairs, keys in
/// any order) and throws ``Unreadable`` at anything it does not take exactly as Foundation's
/// `JSONDecoder` would: a malformed document, invalid UTF-8, an integer that is out of range or
/// written with a fraction or exponent, a non-finite number. Callers then fall back to
/// `JSONDecoder`, which decides (and words the error) as before. A key given twice in one object
/// (which no encoder writes) keeps its last value.
struct StateJSONReader {
    /// The document is not in the form the fast path reads; decode it with `JSONDecoder`.
    struct Unreadable: Error {}

    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Throws unless only whitespace is left.
    mutating func end() throws(Unreadable) {
        skipWhitespace()
        guard index == bytes.count else { throw Unreadable() }
    }

    // MARK: Structure

    mutating func beginObject() throws(Unreadable) {
        try expect(UInt8(ascii: "{"))
    }

    /// The next key of the object being read, or nil (and the object consumed) at its end.
    /// `first` starts true for each object.
    mutating func nextKey(first: inout Bool) throws(Unreadable) -> String? {
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return nil
        }
        if first {
            first = false
        } else {
            try expect(UInt8(ascii: ","))
        }
        let key = try string()
        try expect(UInt8(ascii: ":"))
        return key
    }

    mutating func beginArray() throws(Unreadable) {
        try expect(UInt8(ascii: "["))
    }

    /// Whether another element follows (false consumes the array's end). `first` starts true.
    mutating func nextElement(first: inout Bool) throws(Unreadable) -> Bool {
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return false
        }
        if first {
            first = false
        } else {
            try expect(UInt8(ascii: ","))
        }
        return true
    }

    /// True (and consumed) when the next value is `null`.
    mutating func null() throws(Unreadable) -> Bool {
        skipWhitespace()
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// Skips one value of any kind (a key this decoder does not know, as `JSONDecoder` ignores it).
    mutating func skipValue() throws(Unreadable) {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "{"):
            try beginObject()
            var first = true
            while try nextKey(first: &first) != nil { try skipValue() }
        case UInt8(ascii: "["):
            try beginArray()
            var first = true
            while try nextElement(first: &first) { try skipValue() }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try numberText()
        }
    }

    // MARK: Values

    mutating func bool() throws(Unreadable) -> Bool {
        skipWhitespace()
        if peek() == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        try literal("false")
        return false
    }

    mutating func int64() throws(Unreadable) -> Int64 {
        let (negative, magnitude) = try integer()
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw Unreadable() }
            return magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw Unreadable() }
        return Int64(magnitude)
    }

    mutating func int() throws(Unreadable) -> Int {
        Int(try int64())
    }

    mutating func uint64() throws(Unreadable) -> UInt64 {
        let (negative, magnitude) = try integer()
        guard !negative else { throw Unreadable() }
        return magnitude
    }

    mutating func uint32() throws(Unreadable) -> UInt32 {
        guard let value = UInt32(exactly: try uint64()) else { throw Unreadable() }
        return value
    }

    mutating func double() throws(Unreadable) -> Double {
        let range = try numberText()
        let text = String(decoding: bytes[range], as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw Unreadable() }
        return value
    }

    mutating func string() throws(Unreadable) -> String {
        skipWhitespace()
        try expect(UInt8(ascii: "\""))
        let start = index
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                defer { index += 1 }
                // ASCII is valid UTF-8 as it is (the common case: ids, codes, keys).
                let utf8 = bytes[start..<index]
                return ascii ? String(decoding: utf8, as: UTF8.self) : try Self.validated(utf8)
            }
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            guard byte >= 0x20 else { throw Unreadable() }
            ascii = ascii && byte < 0x80
            index += 1
        }
        throw Unreadable()
    }

    /// A string value of an enum with `String` raw values.
    mutating func value<E: RawRepresentable>(_: E.Type) throws(Unreadable) -> E where E.RawValue == String {
        guard let value = E(rawValue: try string()) else { throw Unreadable() }
        return value
    }

    // MARK: -

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8) throws(Unreadable) {
        skipWhitespace()
        guard peek() == byte else { throw Unreadable() }
        index += 1
    }

    private mutating func literal(_ word: StaticString) throws(Unreadable) {
        skipWhitespace()
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw Unreadable() }
        let matches = word.withUTF8Buffer { $0.elementsEqual(bytes[index..<index + count]) }
        guard matches else { throw Unreadable() }
        index += count
    }

    /// An integer without fraction or exponent: sign and magnitude.
    private mutating func integer() throws(Unreadable) -> (negative: Bool, magnitude: UInt64) {
        let range = try numberText()
        var position = range.lowerBound
        let negative = bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        var magnitude: UInt64 = 0
        for byte in bytes[position..<range.upperBound] {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { throw Unreadable() }
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow1 && !overflow2 else { throw Unreadable() }
            magnitude = sum
        }
        return (negative, magnitude)
    }

    /// The bytes of a number in JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func numberText() throws(Unreadable) -> Range<Int> {
        skipWhitespace()
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        if peek() == UInt8(ascii: "0") {
            index += 1
        } else {
            guard try digits() > 0 else { throw Unreadable() }
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            guard try digits() > 0 else { throw Unreadable() }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            guard try digits() > 0 else { throw Unreadable() }
        }
        return start..<index
    }

    private mutating func digits() throws(Unreadable) -> Int {
        var count = 0
        while let byte = peek(), byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
            index += 1
            count += 1
        }
        return count
    }

    /// The rest of a string with escapes; `start` is just after the opening quote.
    private mutating func escapedString(from start: Int) throws(Unreadable) -> String {
        var unescaped = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return try Self.validated(unescaped[...])
            case UInt8(ascii: "\\"):
                guard let escape = peek() else { throw Unreadable() }
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): unescaped.append(escape)
                case UInt8(ascii: "b"): unescaped.append(0x08)
                case UInt8(ascii: "f"): unescaped.append(0x0C)
                case UInt8(ascii: "n"): unescaped.append(0x0A)
                case UInt8(ascii: "r"): unescaped.append(0x0D)
                case UInt8(ascii: "t"): unescaped.append(0x09)
                case UInt8(ascii: "u"): unescaped.append(contentsOf: try unicodeEscape())
                default: throw Unreadable()
                }
            case 0x00..<0x20:
                throw Unreadable()
            default:
                unescaped.append(byte)
            }
        }
        throw Unreadable()
    }

    /// The UTF-8 bytes of `\uXXXX` (after the `u`), with a following low surrogate when needed.
    private mutating func unicodeEscape() throws(Unreadable) -> String.UTF8View {
        let unit = try hex4()
        var scalar: Unicode.Scalar?
        switch unit {
        case 0xD800..<0xDC00:
            guard index + 2 <= bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw Unreadable() }
            index += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw Unreadable() }
            scalar = Unicode.Scalar(0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00))
        case 0xDC00..<0xE000:
            throw Unreadable()
        default:
            scalar = Unicode.Scalar(UInt32(unit))
        }
        guard let scalar else { throw Unreadable() }
        return String(Character(scalar)).utf8
    }

    private mutating func hex4() throws(Unreadable) -> UInt16 {
        guard index + 4 <= bytes.count else { throw Unreadable() }
        var value: UInt16 = 0
        for byte in bytes[index..<index + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Unreadable()
            }
            value = value << 4 | UInt16(digit)
        }
        index += 4
        return value
    }

    private static func validated(_ utf8: ArraySlice<UInt8>) throws(Unreadable) -> String {
        guard let string = String(validating: utf8, as: UTF8.self) else { throw Unreadable() }
        return string
    }
}
