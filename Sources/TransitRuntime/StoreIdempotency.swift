import TransitRPC
import TransitStore
import TransitWire

/// Idempotency answers kept in the worker's store: state namespace `rpc-idempotency`, key
/// `<method>|<idempotency-key>`, value a `trialtransit.store.v1.StoredAnswer`. Rows are deleted
/// after ``WorkerOptions/idempotencyRetention`` (``Worker`` prunes them with the inbox).
struct StoreIdempotency: RPCIdempotencyStore {
    let transaction: any StoreTransaction
    static let namespace = "rpc-idempotency"

    func answer(method: String, key: String) throws -> RPCStoredAnswer? {
        try transaction.state(namespace: Self.namespace, key: method + "|" + key).flatMap(Self.decode)
    }

    func remember(method: String, key: String, answer: RPCStoredAnswer) throws {
        try transaction.setState(namespace: Self.namespace, key: method + "|" + key, value: Self.encode(answer))
    }

    /// SHA-256.
    static let digestLength = 32

    /// The stored answer; the digest is always 32 bytes (zeros when the answer has none), so the
    /// encoding starts with `0A 20` (field 1, length 32), which no row of an older format does.
    static func encode(_ answer: RPCStoredAnswer) -> [UInt8] {
        let digest = answer.requestDigest ?? []
        let padded = Array(digest.prefix(digestLength)) + [UInt8](repeating: 0, count: max(0, digestLength - digest.count))
        return StoredAnswer(requestDigest: padded, status: answer.status, message: answer.message, body: answer.body)
            .wireBytes()
    }

    /// Reads the current format and both older ones (``LegacyStoredAnswer``); nil when unreadable.
    static func decode(_ bytes: [UInt8]) -> RPCStoredAnswer? {
        guard bytes.starts(with: [0x0A, UInt8(digestLength)]) else { return LegacyStoredAnswer.decode(bytes) }
        guard let stored = try? StoredAnswer(wireBytes: bytes) else { return nil }
        return RPCStoredAnswer(
            status: stored.status, message: stored.message, body: stored.body, requestDigest: stored.requestDigest)
    }
}
