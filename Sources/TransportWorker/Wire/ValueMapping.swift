import TransitWire
import TransportBooking

// Shared values (common.proto) <-> domain values.

extension Wire.GeoPoint {
    init(_ point: Domain.GeoPoint) {
        self.init()
        latitude = point.latitude
        longitude = point.longitude
    }
}

extension Wire.Location {
    init(_ location: Domain.Location) {
        self.init()
        point = Wire.GeoPoint(location.point)
        addressText = location.addressText
    }

    /// The domain location; nil when the message has no coordinates.
    var domain: Domain.Location? {
        guard let point else { return nil }
        return Domain.Location(
            point: Domain.GeoPoint(latitude: point.latitude, longitude: point.longitude), addressText: addressText)
    }
}

extension Wire.TimeWindow {
    init(_ window: Domain.TimeWindow) {
        self.init()
        startAt = window.startAt
        endAt = window.endAt
    }

    var domain: Domain.TimeWindow { Domain.TimeWindow(startAt: startAt, endAt: endAt) }
}

// Enums map by proto number; UNSPECIFIED and unknown numbers become nil.

extension Wire.Mobility {
    init(_ value: Domain.Mobility) { self.init(rawValue: value.protoNumber) }
    var domain: Domain.Mobility? { Domain.Mobility(protoNumber: rawValue) }
}

extension Wire.RideStatus {
    init(_ value: Domain.RideStatus) { self.init(rawValue: value.protoNumber) }
    var domain: Domain.RideStatus? { Domain.RideStatus(protoNumber: rawValue) }
}

extension Wire.CancellationActor {
    init(_ value: Domain.CancellationActor?) { self.init(rawValue: value?.protoNumber ?? 0) }
    var domain: Domain.CancellationActor? { Domain.CancellationActor(protoNumber: rawValue) }
}

extension Wire.PartnerReason {
    init(_ value: Domain.PartnerReason?) { self.init(rawValue: value?.protoNumber ?? 0) }
    var domain: Domain.PartnerReason? { Domain.PartnerReason(protoNumber: rawValue) }
}

extension Wire.AttentionReason {
    init(_ value: Domain.AttentionReason) { self.init(rawValue: value.protoNumber) }
}

extension Wire.LegDirection {
    init(_ value: Domain.LegDirection) { self.init(rawValue: value.protoNumber) }
}

extension Wire.TravelNoLongerNeededReason {
    var domain: Domain.TravelNoLongerNeededReason? { Domain.TravelNoLongerNeededReason(protoNumber: rawValue) }
}
