import Logging
import TransitStore

/// Where a worker's booking-id keys come from (docs/SECURITY.md, "Booking ids"):
///
/// - a key file (`--booking-id-key-file`, `TRIALTRANSIT_BOOKING_ID_KEY_FILE`): its keys, current
///   first; or
/// - without one, a key **generated once and kept in the store** (state namespace
///   `transport.booking-id-key`, key `store1`, value the 32 raw secret bytes), shared by every
///   process on that store. There is
///   no built-in public key: a deployment that configures nothing still gets a secret of its own,
///   unknown to partners.
///
/// A stored generated key stays recognised after a key file is configured, so bookings made under
/// it keep their ids.
public enum BookingIDKeySource {
    /// State namespace of the generated key.
    public static let namespace = "transport.booking-id-key"
    /// Key id of the generated key.
    public static let generatedKeyID = "store1"

    /// The keyring: `fileKeys` (current first) followed by the store's generated key, or the
    /// generated key alone (made now if the store has none) when `fileKeys` is empty.
    public static func keyring(
        fileKeys: [BookingIDKey], store: any TransitStore, logger: Logger
    ) async throws -> BookingIDKeyring {
        let generateIfMissing = fileKeys.isEmpty
        let stored = try await store.transaction { transaction in
            try storedKey(transaction, generateIfMissing: generateIfMissing)
        }
        if let first = fileKeys.first {
            let older = Array(fileKeys.dropFirst())
                + (stored.flatMap { key in fileKeys.contains { $0.id == key.id } ? nil : key }.map { [$0] } ?? [])
            return try BookingIDKeyring(current: first, older: older)
        }
        guard let stored else { throw BookingIDKeyError.noKey }
        logger.notice(
            "booking ids keyed with the store's generated key (no --booking-id-key-file)",
            metadata: ["booking_id_key": "\(stored.id)"])
        return try BookingIDKeyring(current: stored)
    }

    /// The generated key in the store; made and saved when missing and `generateIfMissing`. Two
    /// processes starting at once on one PostgreSQL store agree: the first takes a lock row and
    /// saves, the second waits on the lock and reads the saved key.
    static func storedKey(_ transaction: any StoreTransaction, generateIfMissing: Bool) throws -> BookingIDKey? {
        if let key = try read(transaction) { return key }
        guard generateIfMissing else { return nil }
        try transaction.setCapacity(counter: "transport/lock/booking-id-key", capacity: 0)
        if let key = try read(transaction) { return key }
        let key = try BookingIDKey.generate(id: generatedKeyID)
        try transaction.setState(namespace: namespace, key: generatedKeyID, value: key.secretBytes)
        return key
    }

    private static func read(_ transaction: any StoreTransaction) throws -> BookingIDKey? {
        guard let secret = try transaction.state(namespace: namespace, key: generatedKeyID) else { return nil }
        return try BookingIDKey(id: generatedKeyID, secret: secret)
    }
}
