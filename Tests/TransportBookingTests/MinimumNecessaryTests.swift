import Foundation
import Testing
import TransportBooking

/// Issue #15 point 5: offers carry coarse areas; the addresses, language and contact token go
/// only to the partner whose acceptance was applied, and a cancellation tells that partner (and
/// only that one) to forget them.
@Suite("Minimum necessary for partners")
struct MinimumNecessaryTests {
    @Test func aCoarseAreaHoldsItsPointWithoutNamingIt() {
        for point in [
            Fixture.cambridgeHome.point, Fixture.site.point, GeoPoint(latitude: -33.8688, longitude: 151.2093),
            GeoPoint(latitude: 0.001, longitude: -0.001), GeoPoint(latitude: 89.999, longitude: 179.999),
        ] {
            let area = CoarseArea(containing: point)
            #expect(area.cellCentre != point)
            #expect(area.cellCentre.isValid)
            #expect(area.cellCentre.distanceKm(to: point) * 1000 <= Double(area.radiusMeters), "\(point) outside \(area)")
            #expect(area.radiusMeters < 1_600, "a cell of 0.02° is at most about 1.6 km from centre to corner")
        }
        // Two houses in one cell share their area: the offer does not tell them apart.
        let neighbour = GeoPoint(
            latitude: Fixture.cambridgeHome.point.latitude + 0.001, longitude: Fixture.cambridgeHome.point.longitude + 0.001)
        #expect(CoarseArea(containing: neighbour) == CoarseArea(containing: Fixture.cambridgeHome.point))
    }

    @Test func theOfferDistanceIsRoundedToHalfKilometres() {
        let exact = Fixture.cambridgeHome.point.distanceKm(to: Fixture.site.point) * 1000
        let offered = CoarseArea.offerDistanceMeters(from: Fixture.cambridgeHome.point, to: Fixture.site.point)
        #expect(offered % 500 == 0)
        #expect(abs(Double(offered) - exact) <= 250)
        #expect(CoarseArea.offerDistanceMeters(from: Fixture.site.point, to: Fixture.site.point) == 500)
    }

    @Test func theAcceptingPartnerAloneGetsTheDetails() throws {
        var scenario = try Scenario.booked()
        let offered = try #require(scenario.leg(Leg.out).currentPartnerID)
        let decision = try scenario.update(Leg.out, .accepted, sequence: 1)
        let confirmations = decision.confirmations
        #expect(confirmations.map(\.partnerID) == [offered])
        let confirmation = try #require(confirmations.first?.confirmation)
        #expect(confirmation.bookingID == scenario.value.bookingID && confirmation.legID == Leg.out)
        #expect(confirmation.pickup == Fixture.cambridgeHome && confirmation.dropOff == Fixture.site)
        #expect(confirmation.contactToken == Fixture.contactToken)
        #expect(confirmation.pickupWindow == scenario.leg(Leg.out).pickupWindow)

        // Cancelled after acceptance: the partner is told to forget what the confirmation gave it.
        let cancel = try scenario.apply(
            .cancel(.travelNoLongerNeeded(eventID: "ev-cancel", reason: .visitCancelled)))
        let outbound = cancel.cancellations.filter { $0.cancellation.legID == Leg.out }
        #expect(outbound.map(\.partnerID) == [offered])
        #expect(outbound.first?.cancellation.forgetRideDetails == true)
        // Legs that were only offered are withdrawn without "forget": nothing was sent to forget.
        #expect(cancel.cancellations.filter { $0.cancellation.legID != Leg.out }.allSatisfy { !$0.cancellation.forgetRideDetails })
    }

    @Test func decliningAndLapsingPartnersNeverGetTheDetails() throws {
        var scenario = try Scenario.booked()
        let first = try #require(scenario.leg(Leg.out).currentPartnerID)
        let declined = try scenario.update(Leg.out, .rejected, sequence: 1, reason: .noDriver)
        #expect(declined.confirmations.isEmpty)
        let second = try #require(scenario.leg(Leg.out).currentPartnerID)
        #expect(second != first)
        scenario.now += 10 * Fixture.minute
        let lapsed = try scenario.timeOut(Leg.out)
        #expect(lapsed.confirmations.isEmpty)
        // The lapsed offer is withdrawn without "forget": the partner never had the details.
        let withdrawn = lapsed.cancellations.filter { $0.cancellation.legID == Leg.out }
        #expect(withdrawn.map(\.partnerID) == [second])
        #expect(withdrawn.first?.cancellation.forgetRideDetails == false)
        // A late ACCEPTED from the lapsed partner is answered with a cancellation, never a confirmation.
        let late = try scenario.update(Leg.out, .accepted, sequence: 1, partner: second)
        #expect(late.confirmations.isEmpty)
        #expect(late.cancellations.map(\.partnerID) == [second])
        #expect(late.cancellations.first?.cancellation.forgetRideDetails == false)
    }
}

extension BookingDecision {
    var confirmations: [(partnerID: String, confirmation: RideConfirmation)] {
        partnerCommands.compactMap { command in
            if case .confirmation(let confirmation) = command.body { return (command.partnerID, confirmation) }
            return nil
        }
    }
}
