import Testing
import TransportBooking

@Suite("Fallback to the next partner")
struct FallbackTests {
    @Test(arguments: [RideStatus.rejected, .noDriversAvailable])
    func aRefusalOffersTheLegToTheNextPartner(refusal: RideStatus) throws {
        var scenario = try Scenario.booked()
        let bookingID = scenario.value.bookingID
        let decision = try scenario.update(Leg.out, refusal, sequence: 1, reason: .noDriver)
        let leg = scenario.leg(Leg.out)
        #expect(leg.status == .offered)
        #expect(leg.currentPartnerID == "careways-medical")
        #expect(leg.triedPartnerIDs == ["metro-taxi", "careways-medical"])
        #expect(leg.history.suffix(2).map(\.to) == [refusal, .offered])
        #expect(decision.statusChanges.map(\.status) == [refusal])
        #expect(decision.statusChanges.first?.reasonCode == PartnerReason.noDriver.reasonCode)
        #expect(decision.offered.map(\.attempt) == [2])
        #expect(decision.offers.map(\.partnerID) == ["careways-medical"])
        #expect(decision.timersCancelled == [OfferTimer.id(bookingID: bookingID, legID: Leg.out, offerSequence: 1)])
        #expect(
            decision.timersSet.map(\.timerID) == [OfferTimer.id(bookingID: bookingID, legID: Leg.out, offerSequence: 2)]
        )
        #expect(decision.timersSet.first?.fireAt == Fixture.now + Int64(Fixture.medical.responseTimeoutSeconds) * 1000)
        // A refusing partner is not sent a cancellation: it already let go.
        #expect(decision.cancellations.isEmpty)
    }

    @Test func aTimedOutOfferIsWithdrawnAndTheNextPartnerTried() throws {
        var scenario = try Scenario.booked()
        let timer = try #require(
            try Scenario.booked().value.leg(id: Leg.out)?.offerTimerID(bookingID: scenario.value.bookingID))
        #expect(
            OfferTimeout(timerID: timer)
                == OfferTimeout(bookingID: scenario.value.bookingID, legID: Leg.out, offerSequence: 1))
        scenario.now += 2 * Fixture.minute
        let decision = try scenario.timeOut(Leg.out)
        #expect(scenario.leg(Leg.out).history.suffix(2).map(\.to) == [.offerTimedOut, .offered])
        #expect(decision.cancellations.map(\.partnerID) == ["metro-taxi"])
        #expect(decision.cancellations.first?.cancellation.lateCancellation == false)
        #expect(decision.offers.map(\.partnerID) == ["careways-medical"])
        #expect(decision.events.first?.eventID.hasPrefix(timer) == true)
    }

    @Test func whenEveryPartnerFailsOperationsAreAsked() throws {
        var scenario = try Scenario.booked()
        try scenario.update(Leg.out, .rejected, sequence: 1)
        let decision = try scenario.timeOut(Leg.out)
        let leg = scenario.leg(Leg.out)
        #expect(leg.status == .needsAttention)
        #expect(leg.attentionReason == .noPartnerAvailable)
        #expect(leg.reasonCode == UnservableReason.allPartnersTried.rawValue)
        #expect(leg.currentPartnerID == nil)
        #expect(decision.attention.map(\.reason) == [.noPartnerAvailable])
        #expect(decision.attention.first?.lastStatus == .offerTimedOut)
        #expect(decision.timersSet.isEmpty)
        // The return leg is untouched.
        #expect(scenario.leg(Leg.back).status == .offered)
    }

    @Test func aPartnerWhoseLeadTimeHasPassedIsNotTriedLater() throws {
        // Appointment in 26 h: the medical partner (24 h lead) fits at first, but not 3 h later.
        let appointment = Fixture.now + 26 * Fixture.hour
        var scenario = try Scenario.booked(
            Fixture.request(appointmentAt: appointment, returnTrip: false, preferredPartnerID: "careways-medical"))
        #expect(scenario.leg(Leg.out).currentPartnerID == "careways-medical")
        scenario.now += 3 * Fixture.hour
        try scenario.update(Leg.out, .rejected, sequence: 1)
        #expect(scenario.leg(Leg.out).currentPartnerID == "metro-taxi")
        try scenario.update(Leg.out, .noDriversAvailable, sequence: 1)
        #expect(scenario.leg(Leg.out).status == .needsAttention)
        #expect(scenario.leg(Leg.out).reasonCode == UnservableReason.allPartnersTried.rawValue)
    }

    @Test func aLeadTimeLostBetweenOffersIsNamed() throws {
        let appointment = Fixture.now + 26 * Fixture.hour
        var scenario = try Scenario.booked(Fixture.request(appointmentAt: appointment, returnTrip: false))
        #expect(scenario.leg(Leg.out).currentPartnerID == "metro-taxi")
        scenario.now += 3 * Fixture.hour
        try scenario.update(Leg.out, .rejected, sequence: 1)
        #expect(scenario.leg(Leg.out).status == .needsAttention)
        #expect(scenario.leg(Leg.out).reasonCode == UnservableReason.leadTimeTooShort.rawValue)
        #expect(scenario.leg(Leg.out).attentionReason == .pickupWindowAtRisk)
    }

    @Test func aStaleOrAnsweredTimerChangesNothing() throws {
        var scenario = try Scenario.booked()
        let bookingID = scenario.value.bookingID
        try scenario.update(Leg.out, .accepted, sequence: 1)
        let before = scenario.value
        let answered = try scenario.apply(
            .offerTimedOut(OfferTimeout(bookingID: bookingID, legID: Leg.out, offerSequence: 1)))
        #expect(answered.isNoOp && scenario.value == before)

        try scenario.update(Leg.back, .rejected, sequence: 1)
        let older = try scenario.apply(
            .offerTimedOut(OfferTimeout(bookingID: bookingID, legID: Leg.back, offerSequence: 1)))
        #expect(older.ignoredReason != nil && scenario.leg(Leg.back).status == .offered)
    }

    @Test func aLateAcceptanceFromATimedOutPartnerIsCancelled() throws {
        var scenario = try Scenario.booked()
        try scenario.timeOut(Leg.out)
        let decision = try scenario.update(Leg.out, .accepted, sequence: 1, partner: "metro-taxi")
        #expect(decision.cancellations.map(\.partnerID) == ["metro-taxi"])
        #expect(scenario.leg(Leg.out).currentPartnerID == "careways-medical")
        #expect(scenario.leg(Leg.out).status == .offered)
        // The same late acceptance again is a duplicate.
        #expect(try scenario.update(Leg.out, .accepted, sequence: 1, partner: "metro-taxi").isNoOp)
    }

    @Test func anUnservableRequestIsBookedAndFlaggedNotDropped() throws {
        var scenario = Scenario()
        let decision = try scenario.apply(.requestTravel(Fixture.request(pickup: Fixture.springfieldHome)))
        for leg in scenario.value.legs {
            #expect(leg.status == .needsAttention)
            #expect(leg.reasonCode == UnservableReason.noPartnerCoversArea.rawValue)
        }
        #expect(decision.requested.count == 1)
        #expect(decision.attention.count == 2)
        #expect(decision.partnerCommands.isEmpty)
    }

    @Test func tooShortNoticeIsNamed() throws {
        var scenario = Scenario()
        try scenario.apply(
            .requestTravel(Fixture.request(appointmentAt: Fixture.now + 90 * Fixture.minute, returnTrip: false)))
        #expect(scenario.leg(Leg.out).reasonCode == UnservableReason.leadTimeTooShort.rawValue)
        #expect(scenario.leg(Leg.out).attentionReason == .pickupWindowAtRisk)
    }

    @Test func onlyAMissingLeadTimePutsThePickupWindowAtRisk() {
        for reason in UnservableReason.allCases {
            let expected: AttentionReason = reason == .leadTimeTooShort ? .pickupWindowAtRisk : .noPartnerAvailable
            #expect(AttentionReason(unservable: reason) == expected, "\(reason)")
        }
    }
}
