extension DecisionBuilder {
    /// Cancels leg `index` (which must be cancellable): withdraws the offer or cancels the ride at
    /// the partner, marks a late cancellation when the partner had accepted and the pickup is inside
    /// its free-cancellation period (and tells a partner that had the leg's confirmation to forget
    /// its details), and emits `RideCancelled`.
    mutating func cancelLeg(_ index: Int, actor: CancellationActor, reason: String) {
        let leg = booking.legs[index]
        assert(leg.status.isCancellable, "cannot cancel a \(leg.status) leg")
        let partnerKnows = leg.status == .offered || leg.status.isCarriedByPartner
        var late = false
        if leg.status.isCarriedByPartner, let id = leg.currentPartnerID, let partner = partners.partner(id: id) {
            late = partner.isLateCancellation(pickupAt: leg.pickupWindow.startAt, now: now)
        }
        cancelTimer(of: index)
        if partnerKnows, let partnerID = leg.currentPartnerID {
            send(
                "cancel/\(leg.legID)/\(partnerID)", to: partnerID,
                .cancellation(
                    RideCancellation(
                        bookingID: booking.bookingID, legID: leg.legID, lateCancellation: late,
                        forgetRideDetails: leg.status.isCarriedByPartner)))
        }
        booking.legs[index].cancelledBy = actor
        booking.legs[index].lateCancellation = late
        booking.legs[index].reasonCode = reason
        booking.legs[index].offerExpiresAt = nil
        transition(index, to: .cancelled, reason: reason, partnerID: partnerKnows ? leg.currentPartnerID : nil)
        emit(
            "cancelled", leg: leg.legID,
            .rideCancelled(
                RideCancelled(
                    bookingID: booking.bookingID, legID: leg.legID, cancelledBy: actor, lateCancellation: late,
                    reasonCode: reason)))
    }
}
