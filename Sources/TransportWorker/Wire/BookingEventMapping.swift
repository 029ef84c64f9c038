import TransitWire
import TransportBooking

extension Wire.BookingEvent {
    /// The envelope for `transport.booking.events.v1`; `source` names the worker.
    init(_ event: Domain.BookingEvent, source: String) {
        self.init()
        eventId = event.eventID
        occurredAt = event.occurredAt
        self.source = source
        patientRef = event.patientRef
        body = Self.body(event.body)
    }

    private static func body(_ body: BookingEventBody) -> Body {
        switch body {
        case .rideRequested(let snapshot):
            var requested = RideRequested()
            requested.booking = Wire.Booking(snapshot)
            return .rideRequested(requested)
        case .rideOffered(let offered):
            var wire = Wire.RideOffered()
            wire.bookingId = offered.bookingID
            wire.legId = offered.legID
            wire.partnerId = offered.partnerID
            wire.offerExpiresAt = offered.offerExpiresAt
            wire.attempt = offered.attempt
            return .rideOffered(wire)
        case .rideConfirmed(let confirmed):
            var wire = Wire.RideConfirmed()
            wire.bookingId = confirmed.bookingID
            wire.legId = confirmed.legID
            wire.partnerId = confirmed.partnerID
            wire.partnerRideId = confirmed.partnerRideID ?? ""
            wire.etaAt = confirmed.etaAt ?? 0
            return .rideConfirmed(wire)
        case .rideStatusChanged(let changed):
            var wire = Wire.RideStatusChanged()
            wire.bookingId = changed.bookingID
            wire.legId = changed.legID
            wire.partnerId = changed.partnerID ?? ""
            wire.previousStatus = Wire.RideStatus(changed.previousStatus)
            wire.status = Wire.RideStatus(changed.status)
            wire.partnerSequence = changed.partnerSequence ?? 0
            wire.etaAt = changed.etaAt ?? 0
            wire.reasonCode = changed.reasonCode ?? ""
            return .rideStatusChanged(wire)
        case .rideCancelled(let cancelled):
            var wire = Wire.RideCancelled()
            wire.bookingId = cancelled.bookingID
            wire.legId = cancelled.legID
            wire.cancelledBy = Wire.CancellationActor(cancelled.cancelledBy)
            wire.lateCancellation = cancelled.lateCancellation
            wire.reasonCode = cancelled.reasonCode
            return .rideCancelled(wire)
        case .rideNeedsAttention(let attention):
            var wire = Wire.RideNeedsAttention()
            wire.bookingId = attention.bookingID
            wire.legId = attention.legID
            wire.reason = Wire.AttentionReason(attention.reason)
            wire.lastStatus = Wire.RideStatus(attention.lastStatus)
            wire.reasonCode = attention.reasonCode ?? ""
            wire.visitId = attention.visitID
            wire.trialId = attention.trialID
            return .rideNeedsAttention(wire)
        }
    }
}
