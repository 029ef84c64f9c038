/// Encodes outbox headers compactly for the `outbox.headers` column: a varint count, then per
/// header a varint name length, the UTF-8 name, a varint value length and the value bytes.
/// No headers encode as an empty blob.
enum OutboxHeaderCoding {
    static func encode(_ headers: [OutboxHeader]) -> [UInt8] {
        guard !headers.isEmpty else { return [] }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(headers.reduce(1) { $0 + $1.name.utf8.count + $1.value.count + 4 })
        appendVarint(UInt64(headers.count), to: &bytes)
        for header in headers {
            appendVarint(UInt64(header.name.utf8.count), to: &bytes)
            bytes.append(contentsOf: header.name.utf8)
            appendVarint(UInt64(header.value.count), to: &bytes)
            bytes.append(contentsOf: header.value)
        }
        return bytes
    }

    /// Decodes what ``encode(_:)`` wrote; throws ``StoreError/Code/other`` on malformed bytes.
    static func decode(_ bytes: [UInt8]) throws -> [OutboxHeader] {
        guard !bytes.isEmpty else { return [] }
        var reader = Reader(bytes: bytes)
        let count = try reader.varint()
        // Every header takes at least two bytes, which bounds a corrupt count.
        guard count <= UInt64(bytes.count / 2) else { throw malformed }
        var headers: [OutboxHeader] = []
        headers.reserveCapacity(Int(count))
        for _ in 0..<count {
            let name = try reader.take(Int(try reader.varint()))
            let value = try reader.take(Int(try reader.varint()))
            headers.append(OutboxHeader(name: String(decoding: name, as: UTF8.self), value: Array(value)))
        }
        guard reader.offset == bytes.count else { throw malformed }
        return headers
    }

    private static let malformed = StoreError(code: .other, message: "malformed outbox headers column")

    private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0

        mutating func varint() throws -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while offset < bytes.count, shift < 64 {
                let byte = bytes[offset]
                offset += 1
                result |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 {
                    guard result <= UInt64(Int.max) else { throw malformed }
                    return result
                }
                shift += 7
            }
            throw malformed
        }

        mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
            guard count >= 0, count <= bytes.count - offset else { throw malformed }
            defer { offset += count }
            return bytes[offset..<offset + count]
        }
    }
}
