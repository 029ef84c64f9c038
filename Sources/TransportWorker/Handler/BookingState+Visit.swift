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
    /// The writes of an intake that joined `requests` (a visit's need with the patient's
    /// assistance): each booked, under the booking id of its visit, and the intake saved.
    func booking(
        _ requests: [TravelRequest], intake: TravelIntake, state: BookingState, now: Int64
    ) throws -> PendingWrites {
        var writes = PendingWrites()
        for joined in requests {
            let (request, booking) = try assigningBookingID(joined, state: state)
            writes.decisions.append(try decided(.requestTravel(request), booking: booking, now: now))
        }
        writes.intake = intake
        return writes
    }

    /// `request` with its ``TravelRequest/bookingID`` assigned, and the visit's booking if any.
    func assigningBookingID(_ request: TravelRequest, state: BookingState) throws -> (TravelRequest, Domain.Booking?) {
        var request = request
        let found = try state.visitBooking(patientRef: request.patientRef, visitID: request.visitID, ids: bookingIDs)
        request.bookingID = found.id
        return (request, found.booking)
    }
}
