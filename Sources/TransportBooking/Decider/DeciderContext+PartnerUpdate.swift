extension DeciderContext {
    /// Applies a partner's report on a leg.
    ///
    /// - Unknown booking or leg → `notFound` (dead-letter it); a partner never offered the leg →
    ///   `failedPrecondition`; a status partners may not send → `invalidArgument`.
    /// - Sequence not above the last one applied from this partner → no-op.
    /// - From a partner not offered/carrying the leg now: a late `accepted` is answered with a
    ///   `RideCancellation`; anything else is a no-op.
    /// - A status not above the leg's rank → no-op (never backwards). A higher but illegal one
    ///   (e.g. no-show after pickup) flags `invalidPartnerUpdate` and keeps the status.
    func partnerUpdate(_ update: PartnerUpdate, booking: Booking?) -> Result<BookingDecision, BookingRejection> {
        guard let booking, booking.bookingID == update.bookingID else {
            return .reject(.notFound, "unknown booking \(update.bookingID)")
        }
        guard let index = booking.legs.firstIndex(where: { $0.legID == update.legID }) else {
            return .reject(.notFound, "booking \(update.bookingID) has no leg \(update.legID)")
        }
        guard RideStatus.partnerReportable.contains(update.status) else {
            return .reject(.invalidArgument, "partners may not report \(update.status.protoName)")
        }
        guard update.sequence > 0 else { return .reject(.invalidArgument, "sequence must start at 1") }
        let leg = booking.legs[index]
        guard leg.triedPartnerIDs.contains(update.partnerID) else {
            return .reject(.invalidTransition, "partner \(update.partnerID) was never offered leg \(update.legID)")
        }
        if update.sequence <= leg.partnerSequences[update.partnerID, default: 0] {
            return ignored(booking, ReasonCode.duplicatePartnerUpdate)
        }

        var builder = builder(booking, inputID: update.eventID)
        let live: Set<RideStatus> = [.offered, .accepted, .driverAssigned, .arriving, .pickedUp]
        guard leg.currentPartnerID == update.partnerID, live.contains(leg.status) else {
            return answerNonCurrentPartner(update, index: index, builder: &builder)
        }

        let from = leg.status
        let to = update.status
        if to == from {
            // Same status again: refresh the estimate and ride id, no event.
            builder.absorb(update, at: index)
            return .success(builder.decision())
        }
        let impliedAcceptance =
            from == .offered && to.rank > RideStatus.accepted.rank
            && LegTransitionRules.isAllowed(from: .accepted, to: to) && to != .cancelled && to != .noShow
        let declinedOffer = from == .offered && to == .cancelled
        guard LegTransitionRules.isAllowed(from: from, to: to) || impliedAcceptance || declinedOffer else {
            if to.rank <= from.rank { return ignored(booking, ReasonCode.staleStatus) }
            builder.booking.legs[index].partnerSequences[update.partnerID] = update.sequence
            builder.flagAttention(
                index, reason: .invalidPartnerUpdate,
                code: "\(ReasonCode.invalidPartnerUpdate):\(to.rawValue.uppercased())")
            return .success(builder.decision())
        }

        builder.absorb(update, at: index)
        if from == .offered, to == .rejected || to == .noDriversAvailable || to == .cancelled {
            builder.offerFailed(index, status: to == .cancelled ? .rejected : to, update: update)
        } else if to == .cancelled {
            builder.partnerCancelled(index, update: update)
        } else {
            if from == .offered {
                let reason = to == .accepted ? partnerReason(update) : ReasonCode.impliedAcceptance
                builder.accept(index, update: update, reason: reason)
            }
            if to != .accepted { builder.progress(index, to: to, update: update) }
        }
        return .success(builder.decision())
    }

    private func answerNonCurrentPartner(
        _ update: PartnerUpdate, index: Int, builder: inout DecisionBuilder
    ) -> Result<BookingDecision, BookingRejection> {
        guard update.status == .accepted else { return ignored(builder.booking, ReasonCode.notCurrentPartner) }
        let legID = builder.booking.legs[index].legID
        builder.booking.legs[index].partnerSequences[update.partnerID] = update.sequence
        builder.markChanged()
        builder.send(
            "cancel/\(legID)/\(update.partnerID)", to: update.partnerID,
            .cancellation(
                RideCancellation(bookingID: builder.booking.bookingID, legID: legID, lateCancellation: false)))
        return .success(builder.decision())
    }
}

/// The reason code of a partner update: its reason (`PARTNER:NO_DRIVER`), else its status
/// (`PARTNER:REJECTED`).
func partnerReason(_ update: PartnerUpdate) -> String {
    update.reason?.reasonCode ?? "PARTNER:\(update.status.rawValue.uppercased())"
}
