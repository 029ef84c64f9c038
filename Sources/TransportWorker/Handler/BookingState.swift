import TransitStore
import TransportBooking

/// The transport worker's state in the store, as the messages of `transport_state.proto`
/// (``StoredState``; rows of the old JSON format are read, never written):
///
/// | namespace | key | value |
/// | --- | --- | --- |
/// | `transport.booking` | booking id | ``Booking`` |
/// | `transport.intake` | patient ref | ``TravelIntake`` |
/// | `transport.patient-bookings` | `<patient ref>/<booking id>` | empty (index for erasure) |
///
/// **Concurrent writers.** Several worker processes may share one PostgreSQL store, and one
/// patient's inputs arrive on different topics (travel requests and trial-access events keyed by
/// patient, partner updates keyed by booking id, RPCs), so two transactions can handle the same
/// booking or intake at once. A writing `BookingState` (`locking`, the default) therefore takes the
/// **patient's lock** before it reads any of the patient's aggregates: it upserts the counter
/// `transport/lock/patient/<patient ref>` (`setCapacity`, an `INSERT … ON CONFLICT DO UPDATE` in
/// PostgreSQL, which holds the row lock until the transaction ends). A second transaction for the
/// same patient waits there and, once the first commits, reads the committed booking (READ
/// COMMITTED reads afresh per statement), so no change is overwritten by a stale copy. A booking
/// read by id learns its patient from a first read, then takes the lock and reads it again (a
/// booking's patient never changes; the second read is decoded only when its bytes differ). A lock
/// cycle between two batches is a PostgreSQL deadlock, reported as a transient `.conflict`: the
/// worker retries the batch. Paths that may create a booking read the patient's intake (or call
/// ``lockPatient(_:)``) first, so a booking that does not exist yet is covered too. Read-only
/// queries (`GetBooking`) pass `locking: false`, and so do writers on SQLite
/// (``TransportHandler/patientLocks``): the write lock of `BEGIN IMMEDIATE` already runs its
/// transactions one at a time, so no lock row is written there.
public struct BookingState {
    /// Namespace of bookings, keyed by booking id.
    public static let bookingNamespace = "transport.booking"
    /// Namespace of per-patient travel intakes, keyed by patient ref.
    public static let intakeNamespace = "transport.intake"
    /// Namespace of the patient → booking index.
    public static let patientBookingsNamespace = "transport.patient-bookings"

    let transaction: any StoreTransaction
    /// Whether reads take the patient's lock first (see the type's documentation).
    public let locking: Bool
    private let session = Session()

    /// - Parameter locking: take each patient's lock before reading its aggregates (writers);
    ///   false for read-only queries.
    public init(transaction: any StoreTransaction, locking: Bool = true) {
        self.transaction = transaction
        self.locking = locking
    }

    /// Name of the lock counter of a patient's bookings and intake.
    public static func patientLockName(_ patientRef: String) -> String { "transport/lock/patient/" + patientRef }

    /// Takes the patient's lock until the transaction ends (once per `BookingState`; a no-op when
    /// not `locking`). Returns whether it was taken now.
    @discardableResult
    public func lockPatient(_ patientRef: String) throws -> Bool {
        guard locking, session.patients.insert(patientRef).inserted else { return false }
        try transaction.setCapacity(counter: Self.patientLockName(patientRef), capacity: 0)
        return true
    }

    /// The booking with this id, if any; when `locking`, read under its patient's lock.
    public func booking(id: String) throws -> Booking? {
        guard !id.isEmpty, let bytes = try transaction.state(namespace: Self.bookingNamespace, key: id) else {
            return nil
        }
        let first = try Booking(storedBytes: bytes)
        // The first read was not under the lock unless this transaction already held it: read again
        // (decoding again only when another transaction changed it meanwhile).
        guard try lockPatient(first.patientRef) else { return stored(first) }
        guard let again = try transaction.state(namespace: Self.bookingNamespace, key: id) else { return nil }
        return stored(again == bytes ? first : try Booking(storedBytes: again))
    }

    /// Remembers that `booking` is in the store (so its index row is too).
    private func stored(_ booking: Booking) -> Booking {
        session.storedBookings.insert(booking.bookingID)
        return booking
    }

    /// Stores a booking and, when it is new, indexes it under its patient.
    public func save(_ booking: Booking) throws {
        try transaction.setState(
            namespace: Self.bookingNamespace, key: booking.bookingID, value: booking.storedBytes)
        // A stored booking's index row was written with it (and index rows are never deleted).
        guard session.storedBookings.insert(booking.bookingID).inserted else { return }
        try transaction.setState(
            namespace: Self.patientBookingsNamespace, key: Self.indexKey(booking.patientRef, booking.bookingID),
            value: [])
    }

    /// Ids of every booking of a patient.
    public func bookingIDs(patientRef: String) throws -> [String] {
        try lockPatient(patientRef)
        let prefix = patientRef + "/"
        return try transaction.stateKeys(namespace: Self.patientBookingsNamespace, prefix: prefix).compactMap { key in
            let id = key.dropFirst(prefix.count)
            // A longer patient ref that starts with this one plus "/" is another patient.
            return id.contains("/") ? nil : String(id)
        }
    }

    /// The patient's travel intake, if any.
    public func intake(patientRef: String) throws -> TravelIntake? {
        try lockPatient(patientRef)
        guard let bytes = try transaction.state(namespace: Self.intakeNamespace, key: patientRef) else { return nil }
        return try TravelIntake(storedBytes: bytes)
    }

    /// Stores the patient's travel intake.
    public func save(_ intake: TravelIntake) throws {
        try transaction.setState(
            namespace: Self.intakeNamespace, key: intake.patientRef, value: intake.storedBytes)
    }

    /// The stored bytes under `namespace`/`key` (for checks that nothing personal is left).
    public func rawState(namespace: String, key: String) throws -> [UInt8]? {
        try transaction.state(namespace: namespace, key: key)
    }

    /// What this `BookingState` learnt in its transaction.
    private final class Session {
        /// Patients whose lock the transaction holds.
        var patients: Set<String> = []
        /// Bookings read from or written to the store.
        var storedBookings: Set<String> = []
    }

    static func indexKey(_ patientRef: String, _ bookingID: String) -> String { patientRef + "/" + bookingID }
}
