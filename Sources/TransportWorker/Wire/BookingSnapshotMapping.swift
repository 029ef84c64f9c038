import TransitWire
import TransportBooking

extension Wire.Booking {
    /// The wire booking of a snapshot: every leg ever booked, oldest first (earlier schedule
    /// revisions stay, cancelled, so the reply shows what happened). No address or token: the
    /// snapshot holds none.
    init(_ snapshot: BookingSnapshot) {
        self.init()
        bookingId = snapshot.bookingID
        patientRef = snapshot.patientRef
        trialId = snapshot.trialID
        visitId = snapshot.visitID
        legs = snapshot.legs.map(Wire.RideLeg.init)
        mobility = Wire.Mobility(snapshot.needs.mobility)
        companions = snapshot.needs.companions
        language = snapshot.needs.language
        travelRequestId = snapshot.travelRequestID ?? ""
        createdAt = snapshot.createdAt
        updatedAt = snapshot.updatedAt
    }
}

extension Wire.RideLeg {
    init(_ leg: LegSnapshot) {
        self.init()
        legId = leg.legID
        direction = Wire.LegDirection(leg.direction)
        pickupWindow = Wire.TimeWindow(leg.pickupWindow)
        arriveByAt = leg.arriveBy ?? 0
        partnerId = leg.partnerID ?? ""
        partnerRideId = leg.partnerRideID ?? ""
        status = Wire.RideStatus(leg.status)
        partnerSequence = leg.partnerSequence
        etaAt = leg.etaAt ?? 0
        cancelledBy = Wire.CancellationActor(leg.cancelledBy)
        lateCancellation = leg.lateCancellation
        reasonCode = leg.reasonCode ?? ""
        offerAttempts = leg.offerAttempts
        offerExpiresAt = leg.offerExpiresAt ?? 0
        history = leg.history.map(Wire.LegTransition.init)
    }
}

extension Wire.LegTransition {
    init(_ transition: Domain.LegTransition) {
        self.init()
        previousStatus = transition.from.map(Wire.RideStatus.init) ?? .unspecified
        status = Wire.RideStatus(transition.to)
        reasonCode = transition.reasonCode
        sourceEventId = transition.sourceEventID
        occurredAt = transition.at
        partnerId = transition.partnerID ?? ""
        partnerSequence = transition.partnerSequence ?? 0
    }
}
