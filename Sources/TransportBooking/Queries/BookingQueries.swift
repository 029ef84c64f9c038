/// Read side of the `TransportBooking` service.
public enum BookingQueries {
    /// `GetBooking`: the booking without personal data (legs, statuses, history), or `notFound`
    /// when there is none or it belongs to another patient.
    public static func getBooking(_ booking: Booking?, patientRef: String) -> Result<BookingSnapshot, BookingRejection>
    {
        guard let booking, booking.patientRef == patientRef else {
            return .failure(BookingRejection(.notFound, "no booking for this patient and visit"))
        }
        return .success(booking.snapshot)
    }
}
