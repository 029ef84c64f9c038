/// The personal data a new leg is planned from (nil after erasure).
struct TripFacts: Hashable {
    var pickup: Location?
    var dropOff: Location?
    var contactToken: String?

    init(pickup: Location?, dropOff: Location?, contactToken: String?) {
        self.pickup = pickup
        self.dropOff = dropOff
        self.contactToken = contactToken
    }

    /// From the outbound leg of `legs` (or the return leg, reversed) that still holds them.
    init(legs: [RideLeg]) {
        if let outbound = legs.first(where: { $0.direction == .outbound }) {
            self.init(pickup: outbound.pickup, dropOff: outbound.dropOff, contactToken: outbound.contactToken)
        } else if let back = legs.first(where: { $0.direction == .return }) {
            self.init(pickup: back.dropOff, dropOff: back.pickup, contactToken: back.contactToken)
        } else {
            self.init(pickup: nil, dropOff: nil, contactToken: nil)
        }
    }
}

extension DecisionBuilder {
    /// Creates legs of the current revision for `directions` from the booking's schedule, emits
    /// `RideRequested`, then offers each leg (or escalates it; a return leg that would end a
    /// too-long travel day waits for a coordinator as ``AttentionReason/overnightStay``).
    mutating func bookLegs(_ directions: [LegDirection], facts: TripFacts, reason: String) {
        let planner = PickupWindowPlanner(config: config)
        var created: [Int] = []
        for direction in directions {
            let planned: PlannedLeg
            switch direction {
            case .outbound:
                if booking.urgent, booking.requestedPickupWindow == nil {
                    let earliest = PartnerSelector.earliestPickup(
                        pickup: facts.pickup?.point, dropOff: facts.dropOff?.point, needs: booking.needs, in: partners,
                        now: now)
                    planned = planner.urgentOutbound(earliestPickup: earliest, appointmentAt: booking.appointmentAt)
                } else if let window = booking.requestedPickupWindow {
                    planned = PlannedLeg(
                        pickupWindow: window,
                        arriveBy: booking.appointmentAt - Millis.minutes(config.arrivalBufferMinutes))
                } else {
                    let from = facts.pickup?.point ?? facts.dropOff?.point ?? GeoPoint(latitude: 0, longitude: 0)
                    let to = facts.dropOff?.point ?? from
                    let extraLead = PartnerSelector.extraLeadMinutes(
                        pickup: from, dropOff: to, needs: booking.needs, in: partners)
                    planned = planner.outbound(
                        from: from, to: to, appointmentAt: booking.appointmentAt, extraLeadMinutes: extraLead)
                }
            case .return:
                planned = planner.returnLeg(
                    appointmentAt: booking.appointmentAt, visitDurationMinutes: booking.visitDurationMinutes)
            }
            let leg = RideLeg(
                legID: RideLeg.id(direction: direction, revision: booking.revision), direction: direction,
                revision: booking.revision, pickupWindow: planned.pickupWindow, arriveBy: planned.arriveBy,
                pickup: direction == .outbound ? facts.pickup : facts.dropOff,
                dropOff: direction == .outbound ? facts.dropOff : facts.pickup,
                contactToken: facts.contactToken, needs: booking.needs)
            booking.legs.append(leg)
            recordCreation(booking.legs.count - 1, reason: reason)
            created.append(booking.legs.count - 1)
        }
        emit("requested", leg: nil, .rideRequested(booking.snapshot))
        for index in created {
            if endsTravelDayTooLate(index) {
                escalate(index, reason: .overnightStay, code: ReasonCode.overnightStay)
            } else {
                offerOrEscalate(index)
            }
        }
    }
}
