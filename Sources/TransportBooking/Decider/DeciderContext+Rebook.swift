extension DeciderContext {
    /// Offers a leg in needsAttention to the named partner (a coordinator's decision: no area,
    /// capability or lead-time check, and a partner tried before may be asked again).
    func rebook(_ request: RebookRequest, booking: Booking?) -> Result<BookingDecision, BookingRejection> {
        guard let booking, booking.patientRef == request.patientRef else {
            return .reject(.notFound, "no booking for this patient and visit")
        }
        guard let partner = partners.partner(id: request.partnerID) else {
            return .reject(.notFound, "partner \(request.partnerID) is not in the partner file")
        }
        var builder = builder(booking, inputID: request.eventID)
        guard let index = builder.index(of: request.legID) else {
            return .reject(.notFound, "booking \(booking.bookingID) has no leg \(request.legID)")
        }
        let status = booking.legs[index].status
        guard status == .needsAttention else {
            return .reject(.invalidTransition, "leg \(request.legID) is \(status.protoName), not NEEDS_ATTENTION")
        }
        if let window = request.pickupWindow {
            guard window.isValidPickupWindow, window.endAt > now else {
                return .reject(.invalidArgument, "pickup_window is invalid or already over")
            }
            builder.movePickupWindow(index, to: window)
        }
        guard builder.offerByCoordinator(index, to: partner) else {
            return .reject(.invalidTransition, "leg \(request.legID) has no addresses (erased)")
        }
        return .success(builder.decision())
    }
}
