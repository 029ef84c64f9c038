import TransportBooking

extension BookingState {
    /// The booking of a patient's visit, found under any id the keyring recognises (current key
    /// first, then older keys, then the unkeyed id of earlier versions), with its id; when there
    /// is none, the id a new booking gets (current key) and nil.
    func visitBooking(patientRef: String, visitID: String, ids: BookingIDKeyring) throws -> (id: String, booking: Domain.Booking?) {
        let candidates = ids.candidates(patientRef: patientRef, visitID: visitID)
        for id in candidates {
            if let booking = try booking(id: id) { return (id, booking) }
        }
        // The current key's id comes first (not derived a second time).
        return (candidates[0], nil)
    }
}

extension TransportHandler {
    /// `request` with its ``TravelRequest/bookingID`` assigned, and the visit's booking if any.
    func assigningBookingID(_ request: TravelRequest, state: BookingState) throws -> (TravelRequest, Domain.Booking?) {
        var request = request
        let found = try state.visitBooking(patientRef: request.patientRef, visitID: request.visitID, ids: bookingIDs)
        request.bookingID = found.id
        return (request, found.booking)
    }
}
