/// Outbox headers of the format before `StoredHeaders`, read and never written: after the marker
/// byte that the migration put in front, a varint count, then per header a varint name length, the
/// UTF-8 name, a varint value length and the value bytes.
enum LegacyOutboxHeaders {
    /// The byte the migration put in front of every old non-empty row.
    static let marker: UInt8 = 0

    /// Decodes the bytes after the marker.
    static func decode(_ bytes: ArraySlice<UInt8>) throws -> [OutboxHeader] {
        var reader = Reader(bytes: Array(bytes))
        let count = try reader.varint()
        // Every header takes at least two bytes, which bounds a corrupt count.
        guard count <= UInt64(bytes.count / 2) else { throw OutboxHeaderCoding.malformed }
        var headers: [OutboxHeader] = []
        headers.reserveCapacity(Int(count))
        for _ in 0..<count {
            let name = try reader.take(Int(try reader.varint()))
            let value = try reader.take(Int(try reader.varint()))
            headers.append(OutboxHeader(name: String(decoding: name, as: UTF8.self), value: Array(value)))
        }
        guard reader.offset == reader.bytes.count else { throw OutboxHeaderCoding.malformed }
        return headers
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
                    guard result <= UInt64(Int.max) else { throw OutboxHeaderCoding.malformed }
                    return result
                }
                shift += 7
            }
            throw OutboxHeaderCoding.malformed
        }

        mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
            guard count >= 0, count <= bytes.count - offset else { throw OutboxHeaderCoding.malformed }
            defer { offset += count }
            return bytes[offset..<offset + count]
        }
    }
}
