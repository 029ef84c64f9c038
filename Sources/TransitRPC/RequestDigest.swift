import Crypto

/// SHA-256 (swift-crypto) of a request's bytes, binding an idempotency key to its request. Not a
/// secret: anyone holding the request can compute it.
enum RequestDigest {
    static func sha256(_ message: some Collection<UInt8>) -> [UInt8] {
        Array(SHA256.hash(data: Array(message)))
    }
}
