import Testing
import TransitWire
import TransportBooking

/// Field checks shared by the tests that read partner topics.
enum PartnerTopicChecks {
    /// The wire form of the coarse area an offer gives for `location`.
    static func area(_ location: TransitWire.Location) -> TransitWire.CoarseArea {
        let point = location.point ?? TransitWire.GeoPoint()
        let domain = TransportBooking.CoarseArea(
            containing: TransportBooking.GeoPoint(latitude: point.latitude, longitude: point.longitude))
        return TransitWire.CoarseArea(
            cellCentre: TransitWire.GeoPoint(latitude: domain.cellCentre.latitude, longitude: domain.cellCentre.longitude),
            radiusM: domain.radiusMeters)
    }

    /// Every field of an offer is set, and only those the contract allows (unknown fields would
    /// fail the byte-for-byte re-encoding the callers check).
    static func expectOfferFields(
        _ offer: TransitWire.RideOffer, mobility: TransitWire.Mobility, companions: UInt32,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(!offer.bookingId.isEmpty && !offer.legId.isEmpty, sourceLocation: sourceLocation)
        #expect(offer.pickupArea?.cellCentre != nil && offer.dropOffArea?.cellCentre != nil, sourceLocation: sourceLocation)
        #expect((offer.pickupArea?.radiusM ?? 0) > 0 && (offer.dropOffArea?.radiusM ?? 0) > 0, sourceLocation: sourceLocation)
        #expect(offer.distanceM > 0 && offer.distanceM % 500 == 0, sourceLocation: sourceLocation)
        let window = offer.pickupWindow
        #expect(window != nil && (window?.startAt ?? 0) > 0, sourceLocation: sourceLocation)
        #expect((window?.endAt ?? 0) - (window?.startAt ?? 0) == 15 * 60_000, sourceLocation: sourceLocation)
        #expect(offer.mobility == mobility && offer.companions == companions, sourceLocation: sourceLocation)
        #expect(offer.offerExpiresAt > 0, sourceLocation: sourceLocation)
    }
}
