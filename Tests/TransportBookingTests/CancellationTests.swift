import Testing
import TransportBooking

@Suite("Cancellation and rescheduling")
struct CancellationTests {
    func cancel(
        _ legID: String? = nil, actor: CancellationActor = .patient, reason: String = "PATIENT_REQUEST",
        id: String = "cx-1"
    ) -> BookingCommand {
        .cancel(CancelRequest(eventID: id, legID: legID, actor: actor, reasonCode: reason))
    }

    @Test func cancellingAnOfferedLegWithdrawsTheOfferWithoutAFee() throws {
        var scenario = try Scenario.booked()
        let bookingID = scenario.value.bookingID
        let decision = try scenario.apply(cancel(Leg.out))
        let leg = scenario.leg(Leg.out)
        #expect(leg.status == .cancelled && leg.cancelledBy == .patient && !leg.lateCancellation)
        #expect(decision.cancellations.map(\.partnerID) == ["metro-taxi"])
        #expect(decision.timersCancelled == [OfferTimer.id(bookingID: bookingID, legID: Leg.out, offerSequence: 1)])
        #expect(decision.cancelled.map(\.legID) == [Leg.out])
        #expect(scenario.leg(Leg.back).status == .offered)
    }

    @Test func cancellingInsideTheFreeCancellationPeriodIsLate() throws {
        var scenario = try Scenario.booked()
        try scenario.update(Leg.out, .accepted, sequence: 1)
        let pickupAt = scenario.leg(Leg.out).pickupWindow.startAt
        let freeUntil = pickupAt - Int64(Fixture.taxi.freeCancellationMinutes) * Fixture.minute

        var onTime = scenario
        onTime.now = freeUntil
        let free = try onTime.apply(cancel(Leg.out))
        #expect(onTime.leg(Leg.out).lateCancellation == false)
        #expect(free.cancellations.first?.cancellation.lateCancellation == false)

        scenario.now = freeUntil + 1
        let late = try scenario.apply(cancel(Leg.out))
        #expect(scenario.leg(Leg.out).lateCancellation)
        #expect(late.cancelled.first?.lateCancellation == true)
        #expect(late.cancellations.first?.cancellation.lateCancellation == true)
    }

    @Test func eachPartnerHasItsOwnFreeCancellationPeriod() throws {
        // The medical partner's period is 24 h: cancelling 20 h ahead is late there.
        var scenario = try Scenario.booked(Fixture.request(returnTrip: false, mobility: .wheelchair))
        try scenario.update(Leg.out, .accepted, sequence: 1)
        scenario.now = scenario.leg(Leg.out).pickupWindow.startAt - 20 * Fixture.hour
        try scenario.apply(cancel(Leg.out, actor: .coordinator))
        #expect(scenario.leg(Leg.out).lateCancellation)
        #expect(scenario.leg(Leg.out).cancelledBy == .coordinator)
    }

    @Test func anOfferNotYetAcceptedIsNeverLate() throws {
        var scenario = try Scenario.booked()
        scenario.now = scenario.leg(Leg.out).pickupWindow.startAt - Fixture.minute
        try scenario.apply(cancel(Leg.out))
        #expect(!scenario.leg(Leg.out).lateCancellation)
    }

    @Test(arguments: TravelNoLongerNeededReason.allCases)
    func travelNoLongerNeededCancelsEveryOpenLegAsASystemCascade(reason: TravelNoLongerNeededReason) throws {
        var scenario = try Scenario.booked()
        try scenario.update(Leg.out, .accepted, sequence: 1)
        let decision = try scenario.apply(.cancel(.travelNoLongerNeeded(eventID: "tnn-1", reason: reason)))
        for leg in scenario.value.legs {
            #expect(leg.status == .cancelled && leg.cancelledBy == .system && leg.reasonCode == reason.rawValue)
        }
        #expect(decision.cancelled.map(\.cancelledBy) == [.system, .system])
        #expect(decision.cancellations.map(\.cancellation.legID) == [Leg.out, Leg.back])
    }

    @Test func travelAssistanceCancelledDefaultsToThePatient() throws {
        var scenario = try Scenario.booked()
        try scenario.apply(.cancel(.travelAssistanceCancelled(eventID: "tac-1", actor: nil, reasonCode: "")))
        #expect(scenario.value.legs.allSatisfy { $0.cancelledBy == .patient && $0.reasonCode == "CANCELLED" })
    }

    @Test func cancelRideChecksThePatientAndTheLeg() throws {
        let scenario = try Scenario.booked()
        let wrongPatient = CancelRequest.cancelRide(
            eventID: "rpc-1", patientRef: "p-other", legID: nil, actor: nil, reasonCode: "")
        #expect(scenario.rejection(.cancel(wrongPatient))?.code == .notFound)
        let unknownLeg = CancelRequest.cancelRide(
            eventID: "rpc-2", patientRef: Fixture.patientRef, legID: "return-7", actor: nil, reasonCode: "")
        #expect(scenario.rejection(.cancel(unknownLeg))?.code == .notFound)
        #expect(Scenario().rejection(cancel())?.code == .notFound)
        var ok = scenario
        try ok.apply(
            .cancel(
                .cancelRide(eventID: "rpc-3", patientRef: Fixture.patientRef, legID: "", actor: nil, reasonCode: "")))
        #expect(ok.value.legs.allSatisfy { $0.cancelledBy == .coordinator })
    }

    @Test func aCompletedLegCannotBeCancelledButTheRestOfTheBookingCan() throws {
        var scenario = try Scenario.booked()
        try scenario.update(Leg.out, .completed, sequence: 1)
        let rejection = try #require(scenario.rejection(cancel(Leg.out)))
        #expect(rejection.code == .invalidTransition)
        #expect(!rejection.message.contains(Fixture.patientRef))
        let decision = try scenario.apply(cancel())
        #expect(decision.cancelled.map(\.legID) == [Leg.back])
        #expect(scenario.leg(Leg.out).status == .completed)
    }

    @Test func cancellingWhatIsAlreadyCancelledIsANoOp() throws {
        var scenario = try Scenario.booked()
        try scenario.apply(cancel())
        #expect(try scenario.apply(cancel(id: "cx-2")).isNoOp)
        #expect(try scenario.apply(cancel(Leg.out, id: "cx-3")).isNoOp)
    }

    @Test func aPickedUpPatientIsNotCancelledButFlaggedForACoordinator() throws {
        var scenario = try Scenario.booked()
        try scenario.update(Leg.out, .pickedUp, sequence: 1)
        let decision = try scenario.apply(.cancel(.travelNoLongerNeeded(eventID: "tnn-1", reason: .visitCancelled)))
        #expect(scenario.leg(Leg.out).status == .pickedUp)
        #expect(scenario.leg(Leg.out).attentionReason == .visitChanged)
        #expect(decision.attention.map(\.legID) == [Leg.out])
        #expect(scenario.leg(Leg.back).status == .cancelled)
    }

    @Test func aLegWaitingForACoordinatorIsCancelledWithoutPartnerMessages() throws {
        var scenario = Scenario()
        try scenario.apply(.requestTravel(Fixture.request(pickup: Fixture.springfieldHome)))
        let decision = try scenario.apply(cancel())
        #expect(scenario.value.legs.allSatisfy { $0.status == .cancelled })
        #expect(decision.partnerCommands.isEmpty && decision.timers.isEmpty)
    }

    @Test func aNoShowCancelsTheReturnLegAndAsksForACoordinator() throws {
        var scenario = try Scenario.booked()
        try scenario.update(Leg.back, .accepted, sequence: 1)
        try scenario.update(Leg.out, .arriving, sequence: 1)
        let decision = try scenario.update(Leg.out, .noShow, sequence: 2, reason: .patientNotPresent)
        #expect(scenario.leg(Leg.out).status == .noShow)
        #expect(scenario.leg(Leg.out).attentionReason == .patientNoShow)
        #expect(decision.attention.map(\.reason) == [.patientNoShow])
        // The move to NO_SHOW is a state transition; the flag, which changes no status, an amendment.
        let outbound = decision.audit.filter { $0.details["leg-id"] == Leg.out }
        #expect(outbound.map(\.action) == [.stateTransition, .amendment], "\(outbound)")
        #expect(outbound.last?.details["attention-reason"] == AttentionReason.patientNoShow.rawValue)
        #expect(scenario.leg(Leg.back).status == .cancelled)
        #expect(scenario.leg(Leg.back).cancelledBy == .system)
        #expect(decision.cancellations.map(\.partnerID) == ["metro-taxi"])
    }

    @Test func aPartnerCancellingAnAcceptedRideIsFlagged() throws {
        var scenario = try Scenario.booked()
        try scenario.update(Leg.out, .accepted, sequence: 1)
        let decision = try scenario.update(Leg.out, .cancelled, sequence: 2, reason: .vehicleProblem)
        let leg = scenario.leg(Leg.out)
        #expect(leg.status == .cancelled && leg.cancelledBy == .partner && !leg.lateCancellation)
        #expect(leg.attentionReason == .partnerCancelled)
        #expect(decision.cancelled.map(\.cancelledBy) == [.partner])
        #expect(decision.attention.map(\.reason) == [.partnerCancelled])
        #expect(decision.cancellations.isEmpty)
    }

    @Test func aRescheduleCancelsTheOpenLegsAndBooksThemForTheNewTime() throws {
        var scenario = try Scenario.booked()
        try scenario.update(Leg.out, .accepted, sequence: 1)
        let newTime = Fixture.appointment + Fixture.day
        let decision = try scenario.apply(.reschedule(Reschedule(eventID: "vr-1", appointmentAt: newTime)))
        let booking = scenario.value
        #expect(booking.revision == 2 && booking.appointmentAt == newTime)
        #expect(booking.legs.prefix(2).allSatisfy { $0.status == .cancelled && $0.reasonCode == "VISIT_RESCHEDULED" })
        #expect(booking.currentLegs.map(\.legID) == ["outbound-2", "return-2"])
        #expect(booking.currentLegs.allSatisfy { $0.status == .offered })
        let planner = PickupWindowPlanner()
        let outbound = planner.outbound(
            from: Fixture.cambridgeHome.point, to: Fixture.site.point, appointmentAt: newTime)
        #expect(booking.currentLegs.first?.pickupWindow == outbound.pickupWindow)
        #expect(booking.currentLegs.first?.pickup == Fixture.cambridgeHome)
        #expect(decision.cancelled.count == 2 && decision.requested.count == 1 && decision.offers.count == 2)
        #expect(decision.cancellations.map(\.cancellation.legID) == [Leg.out, Leg.back])
    }

    @Test func aLastMinuteRescheduleIsALateCancellationOfTheAcceptedLeg() throws {
        var scenario = try Scenario.booked()
        try scenario.update(Leg.out, .accepted, sequence: 1)
        scenario.now = scenario.leg(Leg.out).pickupWindow.startAt - 30 * Fixture.minute
        let decision = try scenario.apply(
            .reschedule(Reschedule(eventID: "vr-1", appointmentAt: Fixture.appointment + Fixture.day)))
        #expect(scenario.leg(Leg.out).lateCancellation)
        #expect(decision.cancelled.first { $0.legID == Leg.out }?.lateCancellation == true)
        #expect(decision.cancelled.first { $0.legID == Leg.back }?.lateCancellation == false)
    }

    @Test func aRescheduleAfterPickupOnlyFlagsTheRide() throws {
        var scenario = try Scenario.booked()
        try scenario.update(Leg.out, .pickedUp, sequence: 1)
        let decision = try scenario.apply(
            .reschedule(Reschedule(eventID: "vr-1", appointmentAt: Fixture.appointment + Fixture.day)))
        #expect(scenario.value.revision == 1)
        #expect(scenario.leg(Leg.out).attentionReason == .visitChanged)
        #expect(decision.cancelled.isEmpty && decision.attention.count == 1)
    }

    @Test func aRescheduleToTheSameTimeIsANoOp() throws {
        var scenario = try Scenario.booked()
        #expect(try scenario.apply(.reschedule(Reschedule(eventID: "vr-1", appointmentAt: Fixture.appointment))).isNoOp)
    }

    @Test func aTravelNeededWithANewTimeReschedules() throws {
        var scenario = try Scenario.booked()
        let moved = Fixture.request(
            eventID: "tn-2", origin: .travelNeeded, appointmentAt: Fixture.appointment + 2 * Fixture.hour)
        try scenario.apply(.requestTravel(moved))
        #expect(scenario.value.revision == 2)
        #expect(scenario.value.appointmentAt == Fixture.appointment + 2 * Fixture.hour)
    }

    @Test func requestingTheSameVisitTwiceBooksOnce() throws {
        var scenario = try Scenario.booked()
        let again = try scenario.apply(.requestTravel(Fixture.request(eventID: "tar-2")))
        #expect(again.isNoOp)
        #expect(again.ignoredReason == "ALREADY_BOOKED")
        #expect(scenario.value.legs.count == 2)
    }

    @Test func bookRideWithOtherDetailsForABookedVisitAlreadyExists() throws {
        let scenario = try Scenario.booked()
        let other = Fixture.request(eventID: "rpc-9", origin: .bookRide, mobility: .wheelchair)
        #expect(scenario.rejection(.requestTravel(other))?.code == .alreadyExists)
        let moved = Fixture.request(
            eventID: "rpc-10", origin: .bookRide, appointmentAt: Fixture.appointment + Fixture.hour)
        #expect(scenario.rejection(.requestTravel(moved))?.code == .alreadyExists)
    }

    @Test func afterACancellationANewRequestRebooksButAReplayDoesNot() throws {
        var scenario = try Scenario.booked()
        try scenario.apply(.cancel(.travelNoLongerNeeded(eventID: "tnn-1", reason: .visitRescheduled)))
        let replay = try scenario.apply(.requestTravel(Fixture.request(eventID: "tar-1")))
        #expect(replay.isNoOp && replay.ignoredReason == "ALREADY_APPLIED")
        let fresh = try scenario.apply(
            .requestTravel(
                Fixture.request(
                    eventID: "tn-2", origin: .travelNeeded, appointmentAt: Fixture.appointment + Fixture.day)))
        #expect(scenario.value.revision == 2)
        #expect(fresh.requested.count == 1 && fresh.offers.count == 2)
        #expect(scenario.value.legs.count == 4)
    }
}
