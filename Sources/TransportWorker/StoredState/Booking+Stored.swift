import TransitRuntime
import TransitWire
import TransportBooking

// `Booking`, `RideLeg` and `LegTransition` <-> their stored messages (transport_state.proto).

extension StoredBooking {
    init(_ booking: Domain.Booking) {
        self.init(
            bookingId: booking.bookingID, patientRef: booking.patientRef, visitId: booking.visitID,
            trialId: booking.trialID, travelRequestId: booking.travelRequestID, appointmentAt: booking.appointmentAt,
            visitDurationMinutes: booking.visitDurationMinutes,
            requestedPickupWindow: booking.requestedPickupWindow.map(Wire.TimeWindow.init),
            returnTrip: booking.returnTrip, needs: StoredRideNeeds(booking.needs),
            preferredPartnerId: booking.preferredPartnerID, revision: Int64(booking.revision),
            legs: booking.legs.map(StoredRideLeg.init), createdAt: booking.createdAt, updatedAt: booking.updatedAt,
            personalDataErasedAt: booking.personalDataErasedAt, urgent: booking.urgent)
    }

    func domain() throws -> Domain.Booking {
        Domain.Booking(
            bookingID: bookingId, patientRef: patientRef, visitID: visitId, trialID: trialId,
            travelRequestID: travelRequestId, appointmentAt: appointmentAt, visitDurationMinutes: visitDurationMinutes,
            requestedPickupWindow: requestedPickupWindow?.domain, returnTrip: returnTrip, needs: try needs.domain(),
            preferredPartnerID: preferredPartnerId, revision: Int(revision), legs: try legs.map { try $0.domain() },
            createdAt: createdAt, updatedAt: updatedAt, personalDataErasedAt: personalDataErasedAt,
            urgent: urgent)
    }
}

extension StoredRideLeg {
    init(_ leg: Domain.RideLeg) {
        self.init(
            legId: leg.legID, direction: Wire.LegDirection(leg.direction), revision: Int64(leg.revision),
            status: Wire.RideStatus(leg.status), pickupWindow: Wire.TimeWindow(leg.pickupWindow),
            arriveBy: leg.arriveBy, pickup: leg.pickup.map(Wire.Location.init),
            dropOff: leg.dropOff.map(Wire.Location.init), contactToken: leg.contactToken,
            needs: StoredRideNeeds(leg.needs), triedPartnerIds: leg.triedPartnerIDs,
            currentPartnerId: leg.currentPartnerID, partnerRideId: leg.partnerRideID,
            offerAttempts: leg.offerAttempts, offerExpiresAt: leg.offerExpiresAt,
            partnerSequences: leg.partnerSequences, etaAt: leg.etaAt,
            cancelledBy: Wire.CancellationActor(leg.cancelledBy), lateCancellation: leg.lateCancellation,
            reasonCode: leg.reasonCode, attentionReason: Wire.AttentionReason(optional: leg.attentionReason),
            history: leg.history.map(StoredLegTransition.init))
    }

    func domain() throws -> Domain.RideLeg {
        var leg = Domain.RideLeg(
            legID: legId, direction: try direction.domain.orUnreadable(), revision: Int(revision),
            pickupWindow: try pickupWindow.orUnreadable().domain, arriveBy: arriveBy, pickup: try pickup.domain(),
            dropOff: try dropOff.domain(), contactToken: contactToken, needs: try needs.domain(),
            history: try history.map { try $0.domain() })
        leg.status = try status.domain.orUnreadable()
        leg.triedPartnerIDs = triedPartnerIds
        leg.currentPartnerID = currentPartnerId
        leg.partnerRideID = partnerRideId
        leg.offerAttempts = offerAttempts
        leg.offerExpiresAt = offerExpiresAt
        leg.partnerSequences = partnerSequences
        leg.etaAt = etaAt
        leg.cancelledBy = cancelledBy.rawValue == 0 ? nil : try cancelledBy.domain.orUnreadable()
        leg.lateCancellation = lateCancellation
        leg.reasonCode = reasonCode
        leg.attentionReason = attentionReason.rawValue == 0 ? nil : try attentionReason.domain.orUnreadable()
        return leg
    }
}

extension StoredLegTransition {
    init(_ transition: Domain.LegTransition) {
        self.init(
            from: Wire.RideStatus(rawValue: transition.from?.protoNumber ?? 0), to: Wire.RideStatus(transition.to),
            reasonCode: transition.reasonCode, sourceEventId: transition.sourceEventID, at: transition.at,
            partnerId: transition.partnerID, partnerSequence: transition.partnerSequence)
    }

    func domain() throws -> Domain.LegTransition {
        Domain.LegTransition(
            from: from.rawValue == 0 ? nil : try from.domain.orUnreadable(), to: try to.domain.orUnreadable(),
            reasonCode: reasonCode, sourceEventID: sourceEventId, at: at, partnerID: partnerId,
            partnerSequence: partnerSequence)
    }
}
