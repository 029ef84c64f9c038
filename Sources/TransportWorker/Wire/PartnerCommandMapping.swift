import TransitWire
import TransportBooking

extension PartnerRideCommand {
    /// The wire command for a partner: exactly the fields of docs/CONTRACT.md §8 (offer: booking
    /// id, leg id, coarse pickup and drop-off areas, distance, pickup window, mobility, companions,
    /// offer expiry, urgent flag; confirmation, to the accepting partner only: booking id, leg id, pickup,
    /// drop-off, pickup window, language, contact token; cancellation: booking id, leg id, late
    /// flag, forget flag). `source` is always `trialtransit`; the event id is
    /// ``opaqueEventID(_:)`` of the domain's.
    init(_ command: PartnerCommand) {
        self.init()
        eventId = Self.opaqueEventID(command.eventID)
        occurredAt = command.occurredAt
        source = PartnerRideCommand.sourceName
        switch command.body {
        case .offer(let offer):
            var wire = Wire.RideOffer()
            wire.bookingId = offer.bookingID
            wire.legId = offer.legID
            wire.pickupArea = Wire.CoarseArea(offer.pickupArea)
            wire.dropOffArea = Wire.CoarseArea(offer.dropOffArea)
            wire.distanceM = offer.distanceMeters
            wire.pickupWindow = Wire.TimeWindow(offer.pickupWindow)
            wire.mobility = Wire.Mobility(offer.mobility)
            wire.companions = offer.companions
            wire.offerExpiresAt = offer.offerExpiresAt
            wire.urgent = offer.urgent
            body = .rideOffer(wire)
        case .confirmation(let confirmation):
            var wire = Wire.RideConfirmation()
            wire.bookingId = confirmation.bookingID
            wire.legId = confirmation.legID
            wire.pickup = Wire.Location(confirmation.pickup)
            wire.dropOff = Wire.Location(confirmation.dropOff)
            wire.pickupWindow = Wire.TimeWindow(confirmation.pickupWindow)
            wire.language = confirmation.language
            wire.contactToken = confirmation.contactToken
            body = .rideConfirmation(wire)
        case .cancellation(let cancellation):
            var wire = Wire.RideCancellation()
            wire.bookingId = cancellation.bookingID
            wire.legId = cancellation.legID
            wire.lateCancellation = cancellation.lateCancellation
            wire.forgetRideDetails = cancellation.forgetRideDetails
            body = .rideCancellation(wire)
        }
    }

    /// `PartnerRideCommand.source` (partner.proto: always "trialtransit").
    static let sourceName = "trialtransit"

    /// The event id a partner sees: `pc-` + 32 hex digits of SHA-256 over the domain's command id.
    /// The domain's id (`<input id>/offer/<leg>`) embeds the input's id, which may name the visit
    /// (`<event id>/<visit id>` for joined travel requests) or hold whatever an upstream system put
    /// in its event ids; the partner must learn neither. One-way, deterministic (a re-run gives the
    /// same id, so the partner's dedupe still works) and as unique as the domain's id.
    static func opaqueEventID(_ domainID: String) -> String {
        // The unkeyed digest earlier booking ids used (so ids stay what they were); a fixed first
        // part keeps the namespace apart from booking ids.
        "pc-" + BookingIDKeyring.unkeyedID(patientRef: "partner-command", visitID: domainID).dropFirst("bk-".count)
    }
}

extension Wire.CoarseArea {
    init(_ area: Domain.CoarseArea) {
        self.init()
        cellCentre = Wire.GeoPoint(area.cellCentre)
        radiusM = area.radiusMeters
    }
}
