/// Pickup window and latest arrival of one leg.
public struct PlannedLeg: Sendable, Hashable {
    /// When the vehicle may pick the patient up.
    public var pickupWindow: TimeWindow
    /// Latest arrival at the drop-off, unix ms (outbound only).
    public var arriveBy: Int64?
}

/// Computes pickup windows from the appointment, the distance and ``BookingConfig``.
///
/// - Travel time = ceil(great-circle km × `roadFactor` ÷ `averageSpeedKmh` × 60) minutes.
/// - Outbound: arrive by appointment − `arrivalBufferMinutes`; the window *ends* at arrive-by −
///   travel time − the ride's extra lead (long rides, partners' `distance_rules`) and is
///   `pickupWindowMinutes` wide.
/// - Return: the window *starts* at appointment + visit duration (or
///   `defaultVisitDurationMinutes`) + `returnPickupDelayMinutes` and is `pickupWindowMinutes` wide.
public struct PickupWindowPlanner: Sendable {
    public let config: BookingConfig

    public init(config: BookingConfig = .standard) { self.config = config }

    /// Estimated driving time between two points, whole minutes (rounded up).
    public func travelMinutes(from: GeoPoint, to: GeoPoint) -> Int {
        let speed = config.averageSpeedKmh > 0 ? config.averageSpeedKmh : BookingConfig.standard.averageSpeedKmh
        let minutes = from.distanceKm(to: to) * config.roadFactor / speed * 60
        guard minutes.isFinite else { return 0 }
        // Ignore floating-point noise (far below a second) before rounding up.
        return Int((minutes - 1e-6).rounded(.up))
    }

    /// The outbound leg for an appointment at `appointmentAt`; `extraLeadMinutes` (>= 0, from
    /// ``PartnerSelector/extraLeadMinutes(pickup:dropOff:needs:in:)``) moves the window earlier.
    public func outbound(
        from pickup: GeoPoint, to dropOff: GeoPoint, appointmentAt: Int64, extraLeadMinutes: Int = 0
    ) -> PlannedLeg {
        let arriveBy = appointmentAt - Millis.minutes(config.arrivalBufferMinutes)
        let lead = travelMinutes(from: pickup, to: dropOff) + max(0, extraLeadMinutes)
        let end = arriveBy - Millis.minutes(lead)
        return PlannedLeg(
            pickupWindow: TimeWindow(startAt: end - Millis.minutes(config.pickupWindowMinutes), endAt: end),
            arriveBy: arriveBy)
    }

    /// The outbound leg of an urgent visit: a window opening at the earliest pickup a partner
    /// accepts (``PartnerSelector/earliestPickup(pickup:dropOff:needs:in:now:)``), `pickupWindowMinutes`
    /// wide; arrive-by as for any outbound leg.
    public func urgentOutbound(earliestPickup: Int64, appointmentAt: Int64) -> PlannedLeg {
        PlannedLeg(
            pickupWindow: TimeWindow(
                startAt: earliestPickup, endAt: earliestPickup + Millis.minutes(config.pickupWindowMinutes)),
            arriveBy: appointmentAt - Millis.minutes(config.arrivalBufferMinutes))
    }

    /// The return leg of a visit starting at `appointmentAt`; `visitDurationMinutes` nil or 0 = unknown.
    public func returnLeg(appointmentAt: Int64, visitDurationMinutes: UInt32?) -> PlannedLeg {
        let duration = visitDurationMinutes.flatMap { $0 > 0 ? Int($0) : nil } ?? config.defaultVisitDurationMinutes
        let start = appointmentAt + Millis.minutes(duration + config.returnPickupDelayMinutes)
        return PlannedLeg(
            pickupWindow: TimeWindow(startAt: start, endAt: start + Millis.minutes(config.pickupWindowMinutes)),
            arriveBy: nil)
    }

    /// Length of a visit's travel day, whole minutes: from the start of the outbound pickup window to
    /// the latest arrival home (the end of the return pickup window + travel time from the site).
    public func travelDayMinutes(
        outboundPickupWindow outbound: TimeWindow, returnPickupWindow back: TimeWindow, from site: GeoPoint,
        to home: GeoPoint
    ) -> Int {
        let arrivalHome = back.endAt + Millis.minutes(travelMinutes(from: site, to: home))
        return Int((arrivalHome - outbound.startAt) / Millis.minute)
    }

    /// The appointment implied by an explicit outbound window (when a `BookRide` gives a window but
    /// the visit time is unknown): window end + travel time + arrival buffer.
    public func impliedAppointment(outboundWindow: TimeWindow, from pickup: GeoPoint, to dropOff: GeoPoint) -> Int64 {
        outboundWindow.endAt + Millis.minutes(travelMinutes(from: pickup, to: dropOff) + config.arrivalBufferMinutes)
    }
}
