import Crypto

/// One secret for booking ids: an id (embedded in every booking id made with it, so the key can
/// rotate) and at least 32 bytes of secret.
public struct BookingIDKey: Sendable {
    /// `[a-z0-9]{1,16}`; appears in booking ids (`bk-<key id>-…`).
    public let id: String
    /// The secret's bytes (SymmetricKey is not Sendable in this swift-crypto; one is made per use).
    let secretBytes: [UInt8]
    var secret: SymmetricKey { SymmetricKey(data: secretBytes) }

    /// Fewest secret bytes accepted: 256 bits, the hash's own output size (RFC 2104 §3).
    public static let minimumSecretBytes = 32

    public init(id: String, secret: [UInt8]) throws(BookingIDKeyError) {
        guard Self.isValidID(id) else { throw .invalidKeyID(id) }
        guard secret.count >= Self.minimumSecretBytes else { throw .secretTooShort(keyID: id, bytes: secret.count) }
        self.id = id
        self.secretBytes = secret
    }

    /// A key with a fresh random secret (the system's generator, 256 bits).
    public static func generate(id: String) throws(BookingIDKeyError) -> BookingIDKey {
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        return try BookingIDKey(id: id, secret: secret)
    }

    /// The secret as lowercase hex (to store a generated key).
    public var secretHex: String { BookingIDKeyring.hex(secretBytes) }

    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 16 && id.utf8.allSatisfy { (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) }
    }
}

/// A booking-id key or key file that cannot be used. Never shows a secret.
public enum BookingIDKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidKeyID(String)
    case secretTooShort(keyID: String, bytes: Int)
    case duplicateKeyID(String)
    case malformedLine(Int)
    case noKey

    public var description: String {
        switch self {
        case .invalidKeyID(let id): "booking-id key id '\(id)' must be 1-16 characters of [a-z0-9]"
        case .secretTooShort(let id, let bytes):
            "booking-id key '\(id)' has \(bytes) secret bytes; at least \(BookingIDKey.minimumSecretBytes) (64 hex digits) are needed"
        case .duplicateKeyID(let id): "booking-id key id '\(id)' appears twice"
        case .malformedLine(let line): "line \(line): expected '<key id> <secret as hex>'"
        case .noKey: "no booking-id key: the file holds no '<key id> <secret as hex>' line"
        }
    }
}
