import TransitRPC

/// Idempotency answers of the formats before `StoredAnswer`, read and never written (they expire
/// with ``WorkerOptions/idempotencyRetention``):
/// - second: `FF 49 4B 02`, the request digest (32 bytes), then the first format;
/// - first: status (4 bytes LE, 0–16, so the second byte is 0), message length (4 bytes LE,
///   `FFFFFFFF` = none), message, body; no digest, so it matches no request.
enum LegacyStoredAnswer {
    static let secondFormatMarker: [UInt8] = [0xFF, 0x49, 0x4B, 0x02]

    static func decode(_ bytes: [UInt8]) -> RPCStoredAnswer? {
        guard bytes.starts(with: secondFormatMarker) else { return decodeFirstFormat(bytes[...]) }
        let digestEnd = secondFormatMarker.count + StoreIdempotency.digestLength
        guard bytes.count >= digestEnd, var answer = decodeFirstFormat(bytes[digestEnd...]) else { return nil }
        answer.requestDigest = Array(bytes[secondFormatMarker.count..<digestEnd])
        return answer
    }

    private static func decodeFirstFormat(_ slice: ArraySlice<UInt8>) -> RPCStoredAnswer? {
        let bytes = Array(slice)
        guard bytes.count >= 8 else { return nil }
        let status = bytes.withUnsafeBytes { Int32(littleEndian: $0.loadUnaligned(as: Int32.self)) }
        let length = bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self)) }
        var offset = 8
        var message: String?
        if length != UInt32.max {
            guard bytes.count >= 8 + Int(length) else { return nil }
            message = String(decoding: bytes[8..<(8 + Int(length))], as: UTF8.self)
            offset += Int(length)
        }
        return RPCStoredAnswer(status: status, message: message, body: Array(bytes[offset...]))
    }
}
