extension DecisionBuilder {
    /// Records the update's sequence, estimate and ride id on leg `index`.
    mutating func absorb(_ update: PartnerUpdate, at index: Int) {
        booking.legs[index].partnerSequences[update.partnerID] = update.sequence
        if let eta = update.etaAt, eta > 0 { booking.legs[index].etaAt = eta }
        if let rideID = update.partnerRideID, !rideID.isEmpty { booking.legs[index].partnerRideID = rideID }
        markChanged()
    }

    /// offered → accepted: `RideConfirmed`, offer timer cancelled, and the leg's details (addresses,
    /// language, contact token) to this partner only, in a `RideConfirmation`.
    mutating func accept(_ index: Int, update: PartnerUpdate, reason: String) {
        cancelTimer(of: index)
        booking.legs[index].offerExpiresAt = nil
        transition(index, to: .accepted, reason: reason, partnerID: update.partnerID, sequence: update.sequence)
        let leg = booking.legs[index]
        if let pickup = leg.pickup, let dropOff = leg.dropOff {
            send(
                "confirm/\(leg.legID)", to: update.partnerID,
                .confirmation(
                    RideConfirmation(
                        bookingID: booking.bookingID, legID: leg.legID, pickup: pickup, dropOff: dropOff,
                        pickupWindow: leg.pickupWindow, language: leg.needs.language,
                        contactToken: leg.contactToken ?? "")))
        }
        emit(
            "confirmed", leg: leg.legID,
            .rideConfirmed(
                RideConfirmed(
                    bookingID: booking.bookingID, legID: leg.legID, partnerID: update.partnerID,
                    partnerRideID: leg.partnerRideID, etaAt: leg.etaAt)))
    }

    /// A forward move reported by the carrying partner; no-show also flags the leg and cancels the
    /// return leg of the same schedule.
    mutating func progress(_ index: Int, to status: RideStatus, update: PartnerUpdate) {
        let from = booking.legs[index].status
        let reason = partnerReason(update)
        transition(index, to: status, reason: reason, partnerID: update.partnerID, sequence: update.sequence)
        emitStatusChanged(index, from: from, partnerID: update.partnerID, sequence: update.sequence, reason: reason)
        guard status == .noShow else { return }
        flagAttention(index, reason: .patientNoShow, code: reason)
        let leg = booking.legs[index]
        if leg.direction == .outbound,
            let back = booking.legs.firstIndex(where: {
                $0.revision == leg.revision && $0.direction == .return && $0.status.isCancellable
            })
        {
            cancelLeg(back, actor: .system, reason: ReasonCode.outboundNoShow)
        }
    }

    /// The offered partner said no (rejected, no drivers, or cancelled the offer): record it and
    /// offer the next partner.
    mutating func offerFailed(_ index: Int, status: RideStatus, update: PartnerUpdate) {
        let from = booking.legs[index].status
        let reason = partnerReason(update)
        cancelTimer(of: index)
        booking.legs[index].offerExpiresAt = nil
        booking.legs[index].reasonCode = reason
        transition(index, to: status, reason: reason, partnerID: update.partnerID, sequence: update.sequence)
        emitStatusChanged(index, from: from, partnerID: update.partnerID, sequence: update.sequence, reason: reason)
        offerOrEscalate(index)
    }

    /// The carrying partner cancelled an accepted ride: cancelled by the partner, flagged for a coordinator.
    mutating func partnerCancelled(_ index: Int, update: PartnerUpdate) {
        let reason = partnerReason(update)
        let leg = booking.legs[index]
        booking.legs[index].cancelledBy = .partner
        booking.legs[index].lateCancellation = false
        booking.legs[index].reasonCode = reason
        transition(index, to: .cancelled, reason: reason, partnerID: update.partnerID, sequence: update.sequence)
        emit(
            "cancelled", leg: leg.legID,
            .rideCancelled(
                RideCancelled(
                    bookingID: booking.bookingID, legID: leg.legID, cancelledBy: .partner, lateCancellation: false,
                    reasonCode: reason)))
        flagAttention(index, reason: .partnerCancelled, code: reason)
    }

}
