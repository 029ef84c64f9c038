extension DecisionBuilder {
    /// Offers leg `index` to the next eligible partner (status offered, `RideOffer`, timer), or, when
    /// none is left, moves it to needsAttention with the most specific reason: pickupWindowAtRisk
    /// when partners would fit but the pickup is now too close for their lead time, else
    /// noPartnerAvailable.
    mutating func offerOrEscalate(_ index: Int) {
        let leg = booking.legs[index]
        guard let pickup = leg.pickup, let dropOff = leg.dropOff, let choice = partnerChoice(index) else {
            escalate(index, reason: .noPartnerAvailable, code: ReasonCode.personalDataErased)
            return
        }
        switch choice {
        case .unservable(let reason):
            escalate(index, reason: AttentionReason(unservable: reason), code: reason.rawValue)
        case .partner(let partner, _):
            offer(index, to: partner, pickup: pickup, dropOff: dropOff)
        }
    }

    /// The partner leg `index` would be offered to next, or why none; nil when its addresses were erased.
    func partnerChoice(_ index: Int) -> PartnerChoice? {
        let leg = booking.legs[index]
        guard let pickup = leg.pickup, let dropOff = leg.dropOff else { return nil }
        let trip = TripRequirements(
            pickup: pickup.point, dropOff: dropOff.point, needs: leg.needs, pickupAt: leg.pickupWindow.startAt)
        return PartnerSelector.choose(
            for: trip, in: partners, now: now, excluding: Set(leg.triedPartnerIDs),
            preferredPartnerID: booking.preferredPartnerID)
    }

    /// A coordinator gives leg `index` a new pickup window (`RebookRide.pickup_window`), audited
    /// as an amendment (the status does not change) with the old and the new one; the next offer
    /// carries it.
    mutating func movePickupWindow(_ index: Int, to window: TimeWindow) {
        let old = booking.legs[index].pickupWindow
        guard old != window else { return }
        booking.legs[index].pickupWindow = window
        note(
            .amendment,
            [
                "booking-id": booking.bookingID, "leg-id": booking.legs[index].legID,
                "reason": ReasonCode.pickupWindowMoved, "previous-pickup-window": "\(old.startAt)-\(old.endAt)",
                "pickup-window": "\(window.startAt)-\(window.endAt)", "source-event-id": inputID,
            ])
        markChanged()
    }

    /// Offers leg `index` (needsAttention) to `partner` as a coordinator asked (`RebookRide`);
    /// false when the leg's addresses were erased.
    mutating func offerByCoordinator(_ index: Int, to partner: Partner) -> Bool {
        guard let pickup = booking.legs[index].pickup, let dropOff = booking.legs[index].dropOff else { return false }
        booking.legs[index].attentionReason = nil
        booking.legs[index].reasonCode = ReasonCode.rebookedByCoordinator
        offer(index, to: partner, pickup: pickup, dropOff: dropOff)
        return true
    }

    private mutating func offer(_ index: Int, to partner: Partner, pickup: Location, dropOff: Location) {
        let expiresAt = now + Millis.seconds(partner.responseTimeoutSeconds)
        booking.legs[index].offerAttempts += 1
        booking.legs[index].triedPartnerIDs.append(partner.id)
        booking.legs[index].currentPartnerID = partner.id
        booking.legs[index].partnerRideID = nil
        booking.legs[index].etaAt = nil
        booking.legs[index].offerExpiresAt = expiresAt
        transition(index, to: .offered, reason: ReasonCode.offered, partnerID: partner.id)

        let leg = booking.legs[index]
        let offer = RideOffer(
            bookingID: booking.bookingID, legID: leg.legID, from: pickup, to: dropOff, pickupWindow: leg.pickupWindow,
            mobility: leg.needs.mobility, companions: leg.needs.companions, offerExpiresAt: expiresAt,
            urgent: booking.urgent)
        send("offer/\(leg.legID)", to: partner.id, .offer(offer))
        setTimer(
            OfferTimer(
                bookingID: booking.bookingID, legID: leg.legID, offerSequence: leg.offerAttempts, fireAt: expiresAt))
        emit(
            "offered", leg: leg.legID,
            .rideOffered(
                RideOffered(
                    bookingID: booking.bookingID, legID: leg.legID, partnerID: partner.id, offerExpiresAt: expiresAt,
                    attempt: leg.offerAttempts)))
    }

    /// Moves leg `index` to needsAttention (no automatic way forward) and tells operations.
    mutating func escalate(_ index: Int, reason: AttentionReason, code: String) {
        let previous = booking.legs[index].status
        booking.legs[index].attentionReason = reason
        booking.legs[index].reasonCode = code
        booking.legs[index].currentPartnerID = nil
        booking.legs[index].offerExpiresAt = nil
        transition(index, to: .needsAttention, reason: code)
        let leg = booking.legs[index]
        emit(
            "attention", leg: leg.legID,
            .rideNeedsAttention(
                RideNeedsAttention(
                    bookingID: booking.bookingID, legID: leg.legID, reason: reason, lastStatus: previous,
                    reasonCode: code, visitID: booking.visitID, trialID: booking.trialID)))
    }

    /// Flags leg `index` for a coordinator while keeping its factual status (no-show, partner
    /// cancellation, visit changed after pickup, invalid partner update).
    mutating func flagAttention(_ index: Int, reason: AttentionReason, code: String) {
        booking.legs[index].attentionReason = reason
        booking.legs[index].reasonCode = code
        let leg = booking.legs[index]
        note(
            .amendment,
            [
                "booking-id": booking.bookingID, "leg-id": leg.legID, "state": leg.status.protoName,
                "attention-reason": reason.rawValue, "reason": code, "source-event-id": inputID,
            ])
        markChanged()
        emit(
            "attention", leg: leg.legID,
            .rideNeedsAttention(
                RideNeedsAttention(
                    bookingID: booking.bookingID, legID: leg.legID, reason: reason, lastStatus: leg.status,
                    reasonCode: code, visitID: booking.visitID, trialID: booking.trialID)))
    }
}
