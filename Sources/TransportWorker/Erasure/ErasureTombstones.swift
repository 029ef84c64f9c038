import Crypto
import TransitStore

/// The patients whose personal data was erased, kept so that no later input brings it back.
///
/// | namespace | key | value |
/// | --- | --- | --- |
/// | `transport.erasure-tombstone` | hex HMAC-SHA-256(store salt, `patient:` + patient ref) | empty |
/// | `transport.erasure-salt` | `v1` | 32 random bytes, made with the first tombstone |
///
/// **Why a salted HMAC.** A tombstone is a list of people who asked to be forgotten; it must not be
/// one in clear. The key is a random salt kept in the same store, made once and never rotated:
/// a tombstone must stay findable for as long as the store lives, whatever happens to
/// configuration secrets (a rotated or lost configuration key would silently void every
/// tombstone, and erased data would come back on the next replay). So the rows alone (an export,
/// a backup of the namespace, a log) name no patient and cannot be matched against a list of
/// patient refs; someone holding the whole store can test a guessed ref, but such a reader also
/// sees the pseudonymous history (bookings keep their patient ref), so the tombstone adds nothing
/// to what they learn. Tombstones are never pruned.
///
/// Callers hold the patient's lock (``BookingState/lockPatient(_:)``) before ``isErased(_:)`` and
/// ``record(_:)``, so an input racing an erasure in another process sees its tombstone once the
/// erasure commits.
struct ErasureTombstones {
    /// Namespace of the tombstones.
    static let namespace = "transport.erasure-tombstone"
    /// Namespace of the salt.
    static let saltNamespace = "transport.erasure-salt"
    static let saltKey = "v1"
    /// Counter whose row lock keeps two processes from making two salts.
    static let saltLock = "transport/lock/erasure-salt"

    let transaction: any StoreTransaction

    /// True when the patient's data was erased (a tombstone exists).
    func isErased(_ patientRef: String) throws -> Bool {
        guard let salt = try storedSalt() else { return false }
        return try transaction.state(namespace: Self.namespace, key: Self.key(patientRef, salt: salt)) != nil
    }

    /// Writes the patient's tombstone (again, harmlessly, when it exists).
    func record(_ patientRef: String) throws {
        try transaction.setState(namespace: Self.namespace, key: Self.key(patientRef, salt: try salt()), value: [])
    }

    /// The tombstone key of `patientRef` under `salt`: 64 hex digits.
    static func key(_ patientRef: String, salt: [UInt8]) -> String {
        let code = HMAC<SHA256>.authenticationCode(
            for: Array(("patient:" + patientRef).utf8), using: SymmetricKey(data: salt))
        return code.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }

    private func storedSalt() throws -> [UInt8]? {
        try transaction.state(namespace: Self.saltNamespace, key: Self.saltKey)
    }

    /// The store's salt, made under a lock the first time (a second process waits for the first
    /// one's commit and then reads its salt).
    private func salt() throws -> [UInt8] {
        if let salt = try storedSalt() { return salt }
        try transaction.setCapacity(counter: Self.saltLock, capacity: 0)
        if let salt = try storedSalt() { return salt }
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try transaction.setState(namespace: Self.saltNamespace, key: Self.saltKey, value: salt)
        return salt
    }
}
