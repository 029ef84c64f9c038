import TransitWire
import TransportBooking
@testable import TransportWorker

extension StoredStateTests {
    /// The stored booking with a ride status number no version knows on its first leg.
    static func withUnknownLegStatus(_ booking: TransportBooking.Booking) -> [UInt8] {
        var stored = StoredBooking(booking)
        stored.legs[0].status = TransitWire.RideStatus(rawValue: 99)
        return stored.wireBytes()
    }
}
