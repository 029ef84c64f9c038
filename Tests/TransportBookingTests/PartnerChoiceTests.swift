import Testing
import TransportBooking

@Suite("Partner choice")
struct PartnerChoiceTests {
    let pickupAt = Fixture.appointment - 2 * Fixture.hour

    func trip(
        from pickup: Location = Fixture.cambridgeHome, to dropOff: Location = Fixture.site,
        mobility: Mobility = .ambulatory, companions: UInt32 = 0, pickupAt: Int64? = nil
    ) -> TripRequirements {
        TripRequirements(
            pickup: pickup.point, dropOff: dropOff.point, needs: RideNeeds(mobility: mobility, companions: companions),
            pickupAt: pickupAt ?? self.pickupAt)
    }

    func ids(_ partners: [Partner]) -> [String] { partners.map(\.id) }

    @Test func haversineDistanceMatchesKnownCityDistances() {
        let newYork = GeoPoint(latitude: 40.7128, longitude: -74.006)
        let distance = Fixture.bostonCentre.distanceKm(to: newYork)
        #expect(distance > 300 && distance < 312)
        #expect(Fixture.bostonCentre.distanceKm(to: Fixture.bostonCentre) == 0)
        #expect(abs(newYork.distanceKm(to: Fixture.bostonCentre) - distance) < 1e-9)
    }

    @Test func ambulatoryInTheCityGoesToTheTaxiFirstByPriority() {
        let eligible = PartnerSelector.eligible(for: trip(), in: Fixture.directory, now: Fixture.now)
        #expect(ids(eligible) == ["metro-taxi", "careways-medical"])
    }

    @Test(arguments: [Mobility.wheelchair, .stretcher])
    func onlyTheMedicalPartnerCarriesWheelchairsAndStretchers(mobility: Mobility) {
        let eligible = PartnerSelector.eligible(for: trip(mobility: mobility), in: Fixture.directory, now: Fixture.now)
        #expect(ids(eligible) == ["careways-medical"])
    }

    @Test func companionsBeyondSeatsExcludeAPartner() {
        let two = PartnerSelector.eligible(for: trip(companions: 2), in: Fixture.directory, now: Fixture.now)
        #expect(ids(two) == ["metro-taxi"])
        let four = PartnerSelector.choose(for: trip(companions: 4), in: Fixture.directory, now: Fixture.now)
        #expect(four == .unservable(.noPartnerForCompanions))
    }

    @Test func bothPickupAndDropOffMustLieInTheServiceArea() {
        let fromWorcester = PartnerSelector.eligible(
            for: trip(from: Fixture.worcesterHome), in: Fixture.directory, now: Fixture.now)
        #expect(ids(fromWorcester) == ["careways-medical"])
        let toWorcester = PartnerSelector.eligible(
            for: trip(from: Fixture.cambridgeHome, to: Fixture.worcesterHome), in: Fixture.directory, now: Fixture.now)
        #expect(ids(toWorcester) == ["careways-medical"])
        let fromSpringfield = PartnerSelector.choose(
            for: trip(from: Fixture.springfieldHome), in: Fixture.directory, now: Fixture.now)
        #expect(fromSpringfield == .unservable(.noPartnerCoversArea))
    }

    @Test func leadTimeIsMeasuredFromNowToTheEarliestPickup() {
        // Three hours ahead: the taxi (2 h) fits, the medical partner (24 h) does not.
        let soon = trip(pickupAt: Fixture.now + 3 * Fixture.hour)
        #expect(ids(PartnerSelector.eligible(for: soon, in: Fixture.directory, now: Fixture.now)) == ["metro-taxi"])
        // Exactly the minimum lead time still fits.
        let exact = trip(pickupAt: Fixture.now + Int64(Fixture.taxi.minimumLeadTimeMinutes) * Fixture.minute)
        #expect(ids(PartnerSelector.eligible(for: exact, in: Fixture.directory, now: Fixture.now)) == ["metro-taxi"])
        let tooSoon = trip(pickupAt: Fixture.now + Int64(Fixture.taxi.minimumLeadTimeMinutes) * Fixture.minute - 1)
        #expect(
            PartnerSelector.choose(for: tooSoon, in: Fixture.directory, now: Fixture.now)
                == .unservable(.leadTimeTooShort))
    }

    @Test func mobilityReasonWhenTheAreaIsCoveredButNotTheVehicle() throws {
        let taxiOnly = try PartnerDirectory(partners: [Fixture.taxi])
        let choice = PartnerSelector.choose(for: trip(mobility: .wheelchair), in: taxiOnly, now: Fixture.now)
        #expect(choice == .unservable(.noPartnerForMobility))
    }

    @Test func partnersAlreadyTriedAreSkippedUntilNoneIsLeft() {
        let afterTaxi = PartnerSelector.choose(
            for: trip(), in: Fixture.directory, now: Fixture.now, excluding: ["metro-taxi"])
        guard case .partner(let next, let remaining) = afterTaxi else {
            Issue.record("expected a partner, got \(afterTaxi)")
            return
        }
        #expect(next.id == "careways-medical" && remaining.isEmpty)
        let afterBoth = PartnerSelector.choose(
            for: trip(), in: Fixture.directory, now: Fixture.now, excluding: ["metro-taxi", "careways-medical"])
        #expect(afterBoth == .unservable(.allPartnersTried))
    }

    @Test func samePriorityIsOrderedByDistanceFromCentreToPickupThenByID() throws {
        var near = Fixture.medical
        near.id = "zeta-near"
        near.priority = 5
        near.serviceArea.centre = GeoPoint(latitude: 42.37, longitude: -71.11)  // Cambridge
        var far = Fixture.medical
        far.id = "alpha-far"
        far.priority = 5
        far.serviceArea.centre = GeoPoint(latitude: 42.33, longitude: -71.0)  // South Boston
        var twin = far
        twin.id = "beta-far"
        let directory = try PartnerDirectory(partners: [far, twin, near])
        let eligible = PartnerSelector.eligible(for: trip(), in: directory, now: Fixture.now)
        #expect(ids(eligible) == ["zeta-near", "alpha-far", "beta-far"])
    }

    @Test func anEligiblePreferredPartnerGoesFirstAnIneligibleOneIsIgnored() {
        let preferred = PartnerSelector.eligible(
            for: trip(), in: Fixture.directory, now: Fixture.now, preferredPartnerID: "careways-medical")
        #expect(ids(preferred) == ["careways-medical", "metro-taxi"])
        let ineligible = PartnerSelector.eligible(
            for: trip(mobility: .wheelchair), in: Fixture.directory, now: Fixture.now, preferredPartnerID: "metro-taxi")
        #expect(ids(ineligible) == ["careways-medical"])
    }

    @Test func theDeciderOffersEachLegToTheChosenPartner() throws {
        let scenario = try Scenario.booked(Fixture.request(mobility: .wheelchair))
        #expect(scenario.leg(Leg.out).currentPartnerID == "careways-medical")
        #expect(scenario.leg(Leg.back).currentPartnerID == "careways-medical")
        let taxi = try Scenario.booked(Fixture.request(mobility: .ambulatory))
        #expect(taxi.leg(Leg.out).currentPartnerID == "metro-taxi")
    }
}
