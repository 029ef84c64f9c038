import Foundation
import Testing
import TransportBooking

@Suite("Urgent rides")
struct UrgentRideTests {
    static let appointment = Fixture.now + 4 * Fixture.hour

    /// A visit four hours from now, marked urgent by trial access.
    static func urgentRequest() -> TravelRequest {
        var request = Fixture.request(origin: .travelNeeded, appointmentAt: appointment)
        request.urgent = true
        return request
    }

    static func offers(_ decision: BookingDecision) -> [RideOffer] {
        decision.partnerCommands.compactMap { if case .offer(let offer) = $0.body { offer } else { nil } }
    }

    @Test func anUrgentVisitIsOfferedWithTheEarliestPickupAndSaysUrgent() throws {
        var scenario = Scenario()
        let decision = try scenario.apply(.requestTravel(Self.urgentRequest()))
        #expect(scenario.value.urgent)
        let outbound = scenario.leg(Leg.out)
        // The earliest pickup a partner accepts: metro-taxi's 120-minute lead time.
        let earliest = PartnerSelector.earliestPickup(
            pickup: Fixture.cambridgeHome.point, dropOff: Fixture.site.point,
            needs: RideNeeds(mobility: .ambulatory, companions: 0, language: "en"), in: Fixture.directory,
            now: Fixture.now)
        #expect(earliest == Fixture.now + 120 * Fixture.minute)
        let width = Int64(BookingConfig.standard.pickupWindowMinutes) * Fixture.minute
        #expect(outbound.pickupWindow == TimeWindow(startAt: earliest, endAt: earliest + width))
        // The ordinary plan would pick up later: the urgent one is earlier.
        let ordinary = PickupWindowPlanner().outbound(
            from: Fixture.cambridgeHome.point, to: Fixture.site.point, appointmentAt: Self.appointment)
        #expect(outbound.pickupWindow.startAt < ordinary.pickupWindow.startAt)
        #expect(outbound.arriveBy == ordinary.arriveBy)
        // The return leg follows the visit as usual.
        let back = PickupWindowPlanner().returnLeg(appointmentAt: Self.appointment, visitDurationMinutes: 90)
        #expect(scenario.leg(Leg.back).pickupWindow == back.pickupWindow)
        let offers = Self.offers(decision)
        #expect(offers.count == 2)
        #expect(offers.allSatisfy { $0.urgent })
    }

    @Test func anOrdinaryVisitIsNotUrgent() throws {
        var scenario = Scenario()
        let decision = try scenario.apply(.requestTravel(Fixture.request()))
        #expect(!scenario.value.urgent)
        #expect(Self.offers(decision).allSatisfy { !$0.urgent })
    }
}
