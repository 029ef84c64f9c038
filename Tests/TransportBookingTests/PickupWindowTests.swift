import Testing
import TransportBooking

@Suite("Pickup windows")
struct PickupWindowTests {
    /// Two points exactly `km` apart along a meridian.
    func points(km: Double) -> (GeoPoint, GeoPoint) {
        let degrees = km / (GeoPoint.earthRadiusKm * .pi / 180)
        return (GeoPoint(latitude: 0, longitude: 0), GeoPoint(latitude: degrees, longitude: 0))
    }

    @Test(arguments: [(40.0, 78), (10.0, 20), (0.0, 0), (1.0, 2)])
    func travelTimeIsRoadFactorTimesDistanceAtAverageSpeedRoundedUp(km: Double, minutes: Int) {
        let (from, to) = points(km: km)
        #expect(PickupWindowPlanner().travelMinutes(from: from, to: to) == minutes)
    }

    @Test func slowerSpeedOrLongerRoadsMeanMoreTravelTime() {
        let (from, to) = points(km: 40)
        let slow = PickupWindowPlanner(config: BookingConfig(averageSpeedKmh: 20))
        let winding = PickupWindowPlanner(config: BookingConfig(roadFactor: 1.5))
        #expect(slow.travelMinutes(from: from, to: to) == 156)
        #expect(winding.travelMinutes(from: from, to: to) == 90)
    }

    @Test func outboundWindowEndsTravelTimeBeforeTheArrivalBuffer() {
        let (from, to) = points(km: 40)  // 78 minutes
        let leg = PickupWindowPlanner().outbound(from: from, to: to, appointmentAt: Fixture.appointment)
        // 10:00 appointment: arrive by 09:40, leave by 08:22, window 08:07-08:22.
        #expect(leg.arriveBy == Fixture.appointment - 20 * Fixture.minute)
        #expect(leg.pickupWindow.endAt == Fixture.appointment - 98 * Fixture.minute)
        #expect(leg.pickupWindow.startAt == Fixture.appointment - 113 * Fixture.minute)
    }

    @Test func theWorcesterExampleOfTheDocs() {
        // 61.3 km great-circle → 120 min: arrive by 09:40, leave 07:25-07:40 for a 10:00 visit.
        let planner = PickupWindowPlanner()
        #expect(planner.travelMinutes(from: Fixture.worcesterHome.point, to: Fixture.site.point) == 120)
        let leg = planner.outbound(
            from: Fixture.worcesterHome.point, to: Fixture.site.point, appointmentAt: Fixture.appointment)
        #expect(
            leg.pickupWindow
                == TimeWindow(
                    startAt: Fixture.appointment - 155 * Fixture.minute,
                    endAt: Fixture.appointment - 140 * Fixture.minute))
    }

    @Test func bufferAndWidthComeFromTheConfig() {
        let (from, to) = points(km: 40)
        let planner = PickupWindowPlanner(config: BookingConfig(arrivalBufferMinutes: 30, pickupWindowMinutes: 20))
        let leg = planner.outbound(from: from, to: to, appointmentAt: Fixture.appointment)
        #expect(leg.pickupWindow.endAt == Fixture.appointment - (30 + 78) * Fixture.minute)
        #expect(leg.pickupWindow.endAt - leg.pickupWindow.startAt == 20 * Fixture.minute)
    }

    @Test(arguments: [(UInt32(90), Int64(100)), (0, 130), (nil, 130), (45, 55)] as [(UInt32?, Int64)])
    func returnPickupOpensAfterTheVisitsExpectedEnd(duration: UInt32?, minutesAfterStart: Int64) {
        let leg = PickupWindowPlanner().returnLeg(appointmentAt: Fixture.appointment, visitDurationMinutes: duration)
        #expect(leg.pickupWindow.startAt == Fixture.appointment + minutesAfterStart * Fixture.minute)
        #expect(leg.pickupWindow.endAt == leg.pickupWindow.startAt + 15 * Fixture.minute)
        #expect(leg.arriveBy == nil)
    }

    @Test func bookedLegsCarryThePlannedWindows() throws {
        let request = Fixture.request()
        let scenario = try Scenario.booked(request)
        let planner = PickupWindowPlanner()
        let outbound = planner.outbound(
            from: request.pickup.point, to: request.dropOff.point, appointmentAt: Fixture.appointment)
        let back = planner.returnLeg(appointmentAt: Fixture.appointment, visitDurationMinutes: 90)
        #expect(scenario.leg(Leg.out).pickupWindow == outbound.pickupWindow)
        #expect(scenario.leg(Leg.out).arriveBy == outbound.arriveBy)
        #expect(scenario.leg(Leg.back).pickupWindow == back.pickupWindow)
        // The return leg goes the other way.
        #expect(scenario.leg(Leg.back).pickup == Fixture.site)
        #expect(scenario.leg(Leg.back).dropOff == Fixture.cambridgeHome)
    }

    @Test func anExplicitWindowIsKeptAndImpliesTheAppointmentForTheReturn() throws {
        let window = TimeWindow(
            startAt: Fixture.appointment - 90 * Fixture.minute, endAt: Fixture.appointment - 60 * Fixture.minute)
        let request = Fixture.request(
            origin: .bookRide, appointmentAt: nil, durationMinutes: nil, pickupWindow: window)
        let scenario = try Scenario.booked(request)
        #expect(scenario.leg(Leg.out).pickupWindow == window)
        let planner = PickupWindowPlanner()
        let implied = planner.impliedAppointment(
            outboundWindow: window, from: request.pickup.point, to: request.dropOff.point)
        #expect(scenario.value.appointmentAt == implied)
        #expect(
            scenario.leg(Leg.back).pickupWindow
                == planner.returnLeg(appointmentAt: implied, visitDurationMinutes: nil).pickupWindow)
    }

    @Test func noReturnLegUnlessAsked() throws {
        let scenario = try Scenario.booked(Fixture.request(returnTrip: false))
        #expect(scenario.value.legs.map(\.direction) == [.outbound])
    }
}
