import TransitWire
import TransportBooking

/// Wire (protobuf) types whose names the `TransportBooking` domain module shares.
enum Wire {
    typealias GeoPoint = TransitWire.GeoPoint
    typealias Location = TransitWire.Location
    typealias TimeWindow = TransitWire.TimeWindow
    typealias Mobility = TransitWire.Mobility
    typealias RideStatus = TransitWire.RideStatus
    typealias CancellationActor = TransitWire.CancellationActor
    typealias AttentionReason = TransitWire.AttentionReason
    typealias PartnerReason = TransitWire.PartnerReason
    typealias LegDirection = TransitWire.LegDirection
    typealias Booking = TransitWire.Booking
    typealias RideLeg = TransitWire.RideLeg
    typealias LegTransition = TransitWire.LegTransition
    typealias BookingEvent = TransitWire.BookingEvent
    typealias RideOffer = TransitWire.RideOffer
    typealias RideCancellation = TransitWire.RideCancellation
    typealias RideConfirmation = TransitWire.RideConfirmation
    typealias CoarseArea = TransitWire.CoarseArea
    typealias RideOffered = TransitWire.RideOffered
    typealias RideConfirmed = TransitWire.RideConfirmed
    typealias RideStatusChanged = TransitWire.RideStatusChanged
    typealias RideCancelled = TransitWire.RideCancelled
    typealias RideNeedsAttention = TransitWire.RideNeedsAttention
    typealias TravelNoLongerNeededReason = TransitWire.TravelNoLongerNeededReason
}

/// Domain types whose names the generated wire module shares.
enum Domain {
    typealias GeoPoint = TransportBooking.GeoPoint
    typealias Location = TransportBooking.Location
    typealias TimeWindow = TransportBooking.TimeWindow
    typealias Mobility = TransportBooking.Mobility
    typealias RideStatus = TransportBooking.RideStatus
    typealias CancellationActor = TransportBooking.CancellationActor
    typealias AttentionReason = TransportBooking.AttentionReason
    typealias PartnerReason = TransportBooking.PartnerReason
    typealias LegDirection = TransportBooking.LegDirection
    typealias Booking = TransportBooking.Booking
    typealias RideLeg = TransportBooking.RideLeg
    typealias LegTransition = TransportBooking.LegTransition
    typealias BookingEvent = TransportBooking.BookingEvent
    typealias RideOffer = TransportBooking.RideOffer
    typealias RideCancellation = TransportBooking.RideCancellation
    typealias RideConfirmation = TransportBooking.RideConfirmation
    typealias CoarseArea = TransportBooking.CoarseArea
    typealias RideOffered = TransportBooking.RideOffered
    typealias RideConfirmed = TransportBooking.RideConfirmed
    typealias RideStatusChanged = TransportBooking.RideStatusChanged
    typealias RideCancelled = TransportBooking.RideCancelled
    typealias RideNeedsAttention = TransportBooking.RideNeedsAttention
    typealias TravelNoLongerNeededReason = TransportBooking.TravelNoLongerNeededReason
}
