/// The booking-id key file (`--booking-id-key-file`): one key a line, `<key id> <secret as hex>`
/// (at least 64 hex digits); the first line is the current key, later lines older keys still
/// recognised. Blank lines and lines starting with `#` are skipped. Make a key with
/// `printf 'k2 %s\n' "$(openssl rand -hex 32)"`.
public enum BookingIDKeyFile {
    /// The keys of a key file's text, current first.
    public static func parse(_ text: String) throws(BookingIDKeyError) -> [BookingIDKey] {
        var keys: [BookingIDKey] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingWhitespace
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 2, let secret = bytes(hex: fields[1]) else { throw .malformedLine(index + 1) }
            keys.append(try BookingIDKey(id: String(fields[0]), secret: secret))
        }
        guard !keys.isEmpty else { throw .noKey }
        return keys
    }

    /// A key as one line of the file.
    public static func line(_ key: BookingIDKey) -> String { "\(key.id) \(key.secretHex)" }

    static func bytes(hex: Substring) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 0x30...0x39: digit - 0x30
        case 0x61...0x66: digit - 0x61 + 10
        case 0x41...0x46: digit - 0x41 + 10
        default: nil
        }
    }
}

extension Substring {
    fileprivate var trimmingWhitespace: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[first...last]
    }
}
