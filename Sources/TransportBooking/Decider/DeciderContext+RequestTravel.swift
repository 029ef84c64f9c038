extension DeciderContext {
    /// Books a visit: creates the booking (outbound, and return when wanted) and offers each leg.
    ///
    /// On an existing booking: same ride facts → no-op (`ALREADY_BOOKED`); every current leg
    /// cancelled → books again (next revision); only the time differs (event origins) → reschedule;
    /// anything else → `alreadyExists`.
    func requestTravel(_ request: TravelRequest, booking: Booking?) -> Result<BookingDecision, BookingRejection> {
        if let problem = validate(request) { return .reject(.invalidArgument, problem) }
        let appointmentAt = resolvedAppointment(request)
        let facts = TripFacts(pickup: request.pickup, dropOff: request.dropOff, contactToken: request.contactToken)

        guard let existing = booking else {
            let fresh = Booking(
                bookingID: request.bookingID, patientRef: request.patientRef, visitID: request.visitID,
                trialID: request.trialID, travelRequestID: request.travelRequestID, appointmentAt: appointmentAt,
                visitDurationMinutes: request.visitDurationMinutes.flatMap { $0 > 0 ? $0 : nil },
                requestedPickupWindow: request.pickupWindow, returnTrip: request.returnTrip, needs: request.needs,
                preferredPartnerID: request.preferredPartnerID, revision: 1, legs: [], createdAt: now, updatedAt: now,
                urgent: request.urgent)
            var builder = builder(fresh, inputID: request.eventID)
            builder.bookLegs(directions(request), facts: facts, reason: request.origin.rawValue)
            return .success(builder.decision())
        }

        guard existing.bookingID == request.bookingID, existing.patientRef == request.patientRef,
            existing.visitID == request.visitID
        else { return .reject(.invalidArgument, "booking \(existing.bookingID) belongs to another patient or visit") }

        let current = existing.currentLegs
        if !current.isEmpty, current.allSatisfy({ $0.status == .cancelled }) {
            var rebooked = existing
            apply(request, appointmentAt: appointmentAt, to: &rebooked)
            rebooked.revision += 1
            var builder = builder(rebooked, inputID: request.eventID)
            builder.bookLegs(directions(request), facts: facts, reason: request.origin.rawValue)
            return .success(builder.decision())
        }

        let sameRide = sameRideFacts(request, existing)
        let sameTime =
            existing.appointmentAt == appointmentAt && existing.requestedPickupWindow == request.pickupWindow
            && (request.visitDurationMinutes ?? 0) == (existing.visitDurationMinutes ?? 0)
        if sameRide && sameTime { return ignored(existing, ReasonCode.alreadyBooked) }
        if sameRide && request.origin != .bookRide && request.pickupWindow == nil && existing.hasActiveLegs {
            return reschedule(
                Reschedule(
                    eventID: request.eventID, appointmentAt: appointmentAt,
                    visitDurationMinutes: request.visitDurationMinutes),
                booking: existing)
        }
        return .reject(
            .alreadyExists, "visit already has booking \(existing.bookingID) with different details; cancel it first")
    }

    private func validate(_ request: TravelRequest) -> String? {
        if request.patientRef.isEmpty { return "patient_ref is empty" }
        if request.bookingID.isEmpty { return "booking id is not assigned" }
        if request.visitID.isEmpty { return "visit_id is empty" }
        if !request.pickup.point.isValid { return "pickup coordinates are out of range" }
        if !request.dropOff.point.isValid { return "drop_off coordinates are out of range" }
        if let window = request.pickupWindow, !window.isValidPickupWindow { return "pickup_window is invalid" }
        if request.pickupWindow == nil, (request.appointmentAt ?? 0) <= 0 {
            return "appointment time or pickup_window is required"
        }
        return nil
    }

    /// The appointment; implied from an explicit outbound window when not given.
    private func resolvedAppointment(_ request: TravelRequest) -> Int64 {
        if let appointmentAt = request.appointmentAt, appointmentAt > 0 { return appointmentAt }
        // validate() guarantees a window here.
        let window = request.pickupWindow ?? TimeWindow(startAt: 0, endAt: 0)
        return PickupWindowPlanner(config: config).impliedAppointment(
            outboundWindow: window, from: request.pickup.point, to: request.dropOff.point)
    }

    private func directions(_ request: TravelRequest) -> [LegDirection] {
        request.returnTrip ? [.outbound, .return] : [.outbound]
    }

    private func apply(_ request: TravelRequest, appointmentAt: Int64, to booking: inout Booking) {
        booking.trialID = request.trialID.isEmpty ? booking.trialID : request.trialID
        booking.travelRequestID = request.travelRequestID
        booking.appointmentAt = appointmentAt
        booking.visitDurationMinutes = request.visitDurationMinutes.flatMap { $0 > 0 ? $0 : nil }
        booking.requestedPickupWindow = request.pickupWindow
        booking.returnTrip = request.returnTrip
        booking.needs = request.needs
        booking.preferredPartnerID = request.preferredPartnerID
        booking.urgent = request.urgent
    }

    /// Pickup, drop-off, contact token, return trip and needs equal the current legs'.
    private func sameRideFacts(_ request: TravelRequest, _ booking: Booking) -> Bool {
        let facts = TripFacts(legs: booking.currentLegs)
        return facts == TripFacts(pickup: request.pickup, dropOff: request.dropOff, contactToken: request.contactToken)
            && booking.returnTrip == request.returnTrip && booking.needs == request.needs
            && booking.urgent == request.urgent
    }
}
