import TransitRuntime
import TransitWire
import TransportBooking

// The bytes ``BookingState`` stores for a booking and an intake (``StoredState``).

extension Domain.Booking {
    /// The stored form: a `trialtransit.store.v1.StoredBooking`.
    var storedBytes: [UInt8] { StoredState.encode(StoredBooking(self)) }

    /// Reads a stored booking (protobuf, or JSON written before it).
    init(storedBytes bytes: [UInt8]) throws {
        self = try StoredState.decode(bytes, as: StoredBooking.self) { try $0.domain() }
    }
}

extension TravelIntake {
    /// The stored form: a `trialtransit.store.v1.StoredTravelIntake`.
    var storedBytes: [UInt8] { StoredState.encode(StoredTravelIntake(self)) }

    /// Reads a stored intake (protobuf, or JSON written before it).
    init(storedBytes bytes: [UInt8]) throws {
        self = try StoredState.decode(bytes, as: StoredTravelIntake.self) { try $0.domain() }
    }
}
