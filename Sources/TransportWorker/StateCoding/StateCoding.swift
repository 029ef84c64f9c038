import Foundation
import TransportBooking

/// The stored form of bookings and intakes: JSON of the domain's `Codable` values with sorted
/// keys, the very bytes `JSONEncoder` (`.sortedKeys`) writes, so rows stay readable by any
/// version and by any JSON tool. Written and read by hand (``StateJSONWriter``,
/// ``StateJSONReader``): Foundation's `Codable` JSON cost ~40–60 µs per booking each way (most of
/// the transport worker's time per input); this costs ~4–6 µs.
///
/// Whatever the fast reader does not take exactly as `JSONDecoder` would (see
/// ``StateJSONReader``) is decoded by `JSONDecoder`, and a value the writer cannot represent
/// (a non-finite coordinate) goes through `JSONEncoder`, which rejects it as before.
enum StateCoding {
    static func encode(_ booking: Booking) throws -> [UInt8] {
        var writer = StateJSONWriter(capacity: 1_536)
        do {
            try writer.booking(booking)
        } catch {
            return Array(try encoder.encode(booking))
        }
        return writer.bytes
    }

    static func booking(from bytes: [UInt8]) throws -> Booking {
        var reader = StateJSONReader(bytes)
        do {
            let booking = try reader.booking()
            try reader.end()
            return booking
        } catch {
            return try JSONDecoder().decode(Booking.self, from: Data(bytes))
        }
    }

    static func encode(_ intake: TravelIntake) throws -> [UInt8] {
        var writer = StateJSONWriter(capacity: 768)
        do {
            try writer.intake(intake)
        } catch {
            return Array(try encoder.encode(intake))
        }
        return writer.bytes
    }

    static func intake(from bytes: [UInt8]) throws -> TravelIntake {
        var reader = StateJSONReader(bytes)
        do {
            let intake = try reader.intake()
            try reader.end()
            return intake
        } catch {
            return try JSONDecoder().decode(TravelIntake.self, from: Data(bytes))
        }
    }

    /// The reference encoding (and the fallback).
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
