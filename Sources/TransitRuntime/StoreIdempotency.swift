import TransitRPC
import TransitStore

/// Idempotency answers kept in the worker's store: state namespace `rpc-idempotency`, key
/// `<method>|<idempotency-key>`. Rows are deleted after ``WorkerOptions/idempotencyRetention``
/// (``Worker`` prunes them with the inbox).
struct StoreIdempotency: RPCIdempotencyStore {
    let transaction: any StoreTransaction
    static let namespace = "rpc-idempotency"

    func answer(method: String, key: String) throws -> RPCStoredAnswer? {
        try transaction.state(namespace: Self.namespace, key: method + "|" + key).flatMap(Self.decode)
    }

    func remember(method: String, key: String, answer: RPCStoredAnswer) throws {
        try transaction.setState(namespace: Self.namespace, key: method + "|" + key, value: Self.encode(answer))
    }

    /// Marks the current format; the first format began with the status, a small number, so its
    /// first byte is never 0xFF.
    static let version2: [UInt8] = [0xFF, 0x49, 0x4B, 0x02]
    /// SHA-256.
    static let digestLength = 32

    /// Current format: `version2`, the request digest (32 bytes), then the first format's fields:
    /// status (4 bytes LE), message length (4 bytes LE, 0xFFFFFFFF = none), message, body.
    static func encode(_ answer: RPCStoredAnswer) -> [UInt8] {
        var bytes = version2
        let digest = answer.requestDigest ?? []
        bytes += digest.prefix(digestLength) + [UInt8](repeating: 0, count: max(0, digestLength - digest.count))
        bytes += encodeFirstFormat(answer)
        return bytes
    }

    /// Reads both formats: an answer of the first format has no digest (it then matches no request).
    static func decode(_ bytes: [UInt8]) -> RPCStoredAnswer? {
        guard bytes.starts(with: version2) else { return decodeFirstFormat(bytes[...]) }
        guard bytes.count >= version2.count + digestLength else { return nil }
        let digestEnd = version2.count + digestLength
        guard var answer = decodeFirstFormat(bytes[digestEnd...]) else { return nil }
        answer.requestDigest = Array(bytes[version2.count..<digestEnd])
        return answer
    }

    static func encodeFirstFormat(_ answer: RPCStoredAnswer) -> [UInt8] {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: answer.status.littleEndian) { bytes += $0 }
        let message = answer.message.map { Array($0.utf8) }
        withUnsafeBytes(of: UInt32(message?.count ?? Int(UInt32.max)).littleEndian) { bytes += $0 }
        bytes += message ?? []
        bytes += answer.body
        return bytes
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
