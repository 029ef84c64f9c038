import Foundation
import TransitStore
import TransportBooking

/// The transport worker's state in the store, as JSON of the domain's Codable values:
///
/// | namespace | key | value |
/// | --- | --- | --- |
/// | `transport.booking` | booking id | ``Booking`` |
/// | `transport.intake` | patient ref | ``TravelIntake`` |
/// | `transport.patient-bookings` | `<patient ref>/<booking id>` | empty (index for erasure) |
public struct BookingState {
    /// Namespace of bookings, keyed by booking id.
    public static let bookingNamespace = "transport.booking"
    /// Namespace of per-patient travel intakes, keyed by patient ref.
    public static let intakeNamespace = "transport.intake"
    /// Namespace of the patient → booking index.
    public static let patientBookingsNamespace = "transport.patient-bookings"

    let transaction: any StoreTransaction

    public init(transaction: any StoreTransaction) {
        self.transaction = transaction
    }

    /// The booking with this id, if any.
    public func booking(id: String) throws -> Booking? {
        guard !id.isEmpty, let bytes = try transaction.state(namespace: Self.bookingNamespace, key: id) else {
            return nil
        }
        return try JSONDecoder().decode(Booking.self, from: Data(bytes))
    }

    /// Stores a booking and indexes it under its patient.
    public func save(_ booking: Booking) throws {
        try transaction.setState(
            namespace: Self.bookingNamespace, key: booking.bookingID, value: Array(try Self.encoder.encode(booking)))
        try transaction.setState(
            namespace: Self.patientBookingsNamespace, key: Self.indexKey(booking.patientRef, booking.bookingID),
            value: [])
    }

    /// Ids of every booking of a patient.
    public func bookingIDs(patientRef: String) throws -> [String] {
        let prefix = patientRef + "/"
        return try transaction.stateKeys(namespace: Self.patientBookingsNamespace, prefix: prefix).compactMap { key in
            let id = key.dropFirst(prefix.count)
            // A longer patient ref that starts with this one plus "/" is another patient.
            return id.contains("/") ? nil : String(id)
        }
    }

    /// The patient's travel intake, if any.
    public func intake(patientRef: String) throws -> TravelIntake? {
        guard let bytes = try transaction.state(namespace: Self.intakeNamespace, key: patientRef) else { return nil }
        return try JSONDecoder().decode(TravelIntake.self, from: Data(bytes))
    }

    /// Stores the patient's travel intake.
    public func save(_ intake: TravelIntake) throws {
        try transaction.setState(
            namespace: Self.intakeNamespace, key: intake.patientRef, value: Array(try Self.encoder.encode(intake)))
    }

    /// The stored bytes under `namespace`/`key` (for checks that nothing personal is left).
    public func rawState(namespace: String, key: String) throws -> [UInt8]? {
        try transaction.state(namespace: namespace, key: key)
    }

    static func indexKey(_ patientRef: String, _ bookingID: String) -> String { patientRef + "/" + bookingID }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
