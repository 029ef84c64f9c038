import Testing
import TransportBooking

/// A visit whose travel day (outbound pickup to the return ride's arrival home) is longer than
/// `BookingConfig.longestTravelDayMinutes`: the outbound leg is offered as usual, the return leg
/// waits for a coordinator as `overnightStay` (docs/TRANSPORT.md §5).
@Suite("Overnight stays")
struct OvernightStayTests {
    /// The travel day of a return-trip booking from `home` under the standard config, minutes.
    static func travelDay(from home: Location) throws -> Int {
        let booked = try Scenario.booked(SpainFixture.request(from: home), directory: SpainFixture.directory)
        return PickupWindowPlanner().travelDayMinutes(
            outboundPickupWindow: booked.leg(Leg.out).pickupWindow, returnPickupWindow: booked.leg(Leg.back).pickupWindow,
            from: SpainFixture.site.point, to: home.point)
    }

    @Test func theTravelDayRunsFromTheOutboundPickupToTheLatestArrivalHome() {
        let planner = PickupWindowPlanner()
        let start = Fixture.appointment - 4 * Fixture.hour
        let outbound = TimeWindow(startAt: start, endAt: start + 15 * Fixture.minute)
        let back = TimeWindow(startAt: start + 6 * Fixture.hour, endAt: start + 6 * Fixture.hour + 15 * Fixture.minute)
        let travel = planner.travelMinutes(from: SpainFixture.site.point, to: SpainFixture.getafeHome.point)
        #expect(travel > 0)
        #expect(
            planner.travelDayMinutes(
                outboundPickupWindow: outbound, returnPickupWindow: back, from: SpainFixture.site.point,
                to: SpainFixture.getafeHome.point) == 6 * 60 + 15 + travel)
    }

    @Test func aValenciaDayTripToMadridHoldsTheReturnLegForAnOvernightStay() throws {
        // docs/TRANSPORT.md §5 (a 90 min visit): 23:07 the evening before to 21:42.
        #expect(try Self.travelDay(from: SpainFixture.valenciaHome) == 1355)
        #expect(1355 > BookingConfig.standard.longestTravelDayMinutes)
        var scenario = Scenario(directory: SpainFixture.directory)
        let decision = try scenario.apply(.requestTravel(SpainFixture.request(from: SpainFixture.valenciaHome)))
        #expect(scenario.leg(Leg.out).status == .offered)
        #expect(scenario.leg(Leg.out).currentPartnerID == "concierge-salud")
        let back = scenario.leg(Leg.back)
        #expect(back.status == .needsAttention)
        #expect(back.attentionReason == .overnightStay)
        #expect(back.reasonCode == "OVERNIGHT_STAY")
        #expect(back.triedPartnerIDs.isEmpty)
        #expect(decision.offers.map(\.offer.legID) == [Leg.out])
        #expect(decision.attention.map(\.legID) == [Leg.back])
        #expect(decision.attention.map(\.reason) == [.overnightStay])
        #expect(decision.attention.map(\.reasonCode) == ["OVERNIGHT_STAY"])
    }

    @Test func aShortDayTripOffersBothLegs() throws {
        #expect(try Self.travelDay(from: SpainFixture.guadalajaraHome) == 358)
        #expect(try Self.travelDay(from: SpainFixture.getafeHome) <= BookingConfig.standard.longestTravelDayMinutes)
        var scenario = Scenario(directory: SpainFixture.directory)
        let decision = try scenario.apply(.requestTravel(SpainFixture.request(from: SpainFixture.getafeHome)))
        #expect(scenario.value.legs.allSatisfy { $0.status == .offered })
        #expect(decision.attention.isEmpty)
    }

    @Test func aDayExactlyAsLongAsTheLimitFitsAndZeroMeansNoLimit() throws {
        let day = try Self.travelDay(from: SpainFixture.valenciaHome)
        for (limit, held) in [(day, false), (day - 1, true), (0, false)] {
            var scenario = Scenario(
                directory: SpainFixture.directory, config: BookingConfig(longestTravelDayMinutes: limit))
            try scenario.apply(.requestTravel(SpainFixture.request(from: SpainFixture.valenciaHome)))
            #expect(scenario.leg(Leg.back).attentionReason == (held ? .overnightStay : nil), "limit \(limit)")
            #expect(scenario.leg(Leg.back).status == (held ? .needsAttention : .offered), "limit \(limit)")
        }
    }

    @Test func aOneWayRideIsNotHeldWhateverTheDistance() throws {
        var scenario = Scenario(directory: SpainFixture.directory)
        let decision = try scenario.apply(
            .requestTravel(SpainFixture.request(from: SpainFixture.valenciaHome, returnTrip: false)))
        #expect(scenario.value.legs.map(\.status) == [.offered])
        #expect(decision.attention.isEmpty)
    }

    @Test func aReturnLegNoPartnerTakesKeepsItsOwnReason() throws {
        var shorter = SpainFixture.concierge
        shorter.distanceRules.maxRideKm = SpainFixture.distanceKm(SpainFixture.valenciaHome) - 10
        var scenario = Scenario(directory: try PartnerDirectory(partners: [SpainFixture.taxi, shorter]))
        let decision = try scenario.apply(.requestTravel(SpainFixture.request(from: SpainFixture.valenciaHome)))
        #expect(decision.attention.map(\.reasonCode) == ["RIDE_TOO_LONG", "RIDE_TOO_LONG"])
        #expect(scenario.leg(Leg.back).attentionReason == .noPartnerAvailable)
    }

    @Test func aCoordinatorCanStillOfferTheHeldReturnLeg() throws {
        var scenario = Scenario(directory: SpainFixture.directory)
        try scenario.apply(.requestTravel(SpainFixture.request(from: SpainFixture.valenciaHome)))
        let decision = try scenario.apply(
            .rebook(
                RebookRequest(
                    eventID: "rebook-1", patientRef: scenario.value.patientRef, legID: Leg.back,
                    partnerID: "concierge-salud")))
        #expect(scenario.leg(Leg.back).status == .offered)
        #expect(scenario.leg(Leg.back).attentionReason == nil)
        #expect(decision.offers.map(\.offer.legID) == [Leg.back])
    }

    @Test func aCoordinatorBooksTheNextDaysReturnByMovingTheHeldLegsWindow() throws {
        var scenario = Scenario(directory: SpainFixture.directory)
        try scenario.apply(.requestTravel(SpainFixture.request(from: SpainFixture.valenciaHome)))
        let held = scenario.leg(Leg.back).pickupWindow
        let nextDay = TimeWindow(startAt: held.startAt + Millis.day, endAt: held.endAt + Millis.day)
        let decision = try scenario.apply(
            .rebook(
                RebookRequest(
                    eventID: "rebook-next-day", patientRef: scenario.value.patientRef, legID: Leg.back,
                    partnerID: "concierge-salud", pickupWindow: nextDay)))
        #expect(scenario.leg(Leg.back).status == .offered)
        #expect(scenario.leg(Leg.back).pickupWindow == nextDay)
        #expect(decision.offers.map(\.offer.pickupWindow) == [nextDay])
        #expect(decision.audit.contains { $0.action == .amendment && $0.details["reason"] == "PICKUP_WINDOW_MOVED" })
    }

    @Test func aRebookingWindowThatIsOverOrBackwardsIsRefused() throws {
        var scenario = Scenario(directory: SpainFixture.directory)
        try scenario.apply(.requestTravel(SpainFixture.request(from: SpainFixture.valenciaHome)))
        for window in [TimeWindow(startAt: 2, endAt: 1), TimeWindow(startAt: 1, endAt: 2)] {
            let rejection = scenario.rejection(
                .rebook(
                    RebookRequest(
                        eventID: "rebook-bad", patientRef: scenario.value.patientRef, legID: Leg.back,
                        partnerID: "concierge-salud", pickupWindow: window)))
            #expect(rejection?.code == .invalidArgument)
        }
        #expect(scenario.leg(Leg.back).status == .needsAttention)
    }

}
