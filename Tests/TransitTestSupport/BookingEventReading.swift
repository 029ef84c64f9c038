import TransitKafka
import TransitWire

/// Decoding what a transport worker and its partners wrote, for tests that read those topics.
extension [KafkaConsumerMessage] {
    /// Booking events among the messages (decoded), in order.
    public func bookingEvents(on topic: String) -> [BookingEvent] {
        filter { $0.topic == topic }.compactMap { try? BookingEvent(wireBytes: $0.value) }
    }

    /// Partner commands among the messages (decoded), in order.
    public func partnerCommands(on topic: String) -> [PartnerRideCommand] {
        filter { $0.topic == topic }.compactMap { try? PartnerRideCommand(wireBytes: $0.value) }
    }
}

/// The body of a booking event, when it is of that kind.
extension BookingEvent {
    public var statusChange: RideStatusChanged? {
        if case .rideStatusChanged(let body) = body { return body }
        return nil
    }
    public var offered: RideOffered? {
        if case .rideOffered(let body) = body { return body }
        return nil
    }
    public var confirmed: RideConfirmed? {
        if case .rideConfirmed(let body) = body { return body }
        return nil
    }
    public var cancelled: RideCancelled? {
        if case .rideCancelled(let body) = body { return body }
        return nil
    }
    public var attention: RideNeedsAttention? {
        if case .rideNeedsAttention(let body) = body { return body }
        return nil
    }
    public var requested: RideRequested? {
        if case .rideRequested(let body) = body { return body }
        return nil
    }
}
