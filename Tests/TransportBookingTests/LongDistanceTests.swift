import Testing
import TransportBooking

/// Partners' distance rules (docs/TRANSPORT.md §8): the longest ride a partner takes and the extra
/// pickup lead of long rides, with Madrid as the home of the sites.
@Suite("Long-distance rides")
struct LongDistanceTests {
    let pickupAt = Fixture.appointment - 12 * Fixture.hour

    func trip(from home: Location, mobility: Mobility = .ambulatory) -> TripRequirements {
        TripRequirements(
            pickup: home.point, dropOff: SpainFixture.site.point, needs: RideNeeds(mobility: mobility),
            pickupAt: pickupAt)
    }

    func ids(_ partners: [Partner]) -> [String] { partners.map(\.id) }

    // MARK: Maximum ride distance

    @Test func aRideUpToTheLimitIsTakenAndOneBeyondItIsNot() {
        let km = SpainFixture.distanceKm(SpainFixture.valenciaHome)
        #expect(DistanceRules(maxRideKm: km + 1).accepts(rideKm: km))
        #expect(DistanceRules(maxRideKm: km).accepts(rideKm: km))
        #expect(!DistanceRules(maxRideKm: km - 0.001).accepts(rideKm: km))
        #expect(DistanceRules.none.accepts(rideKm: km))
    }

    @Test func theLimitIsTheGreatCircleDistanceFromPickupToDropOff() throws {
        let km = SpainFixture.distanceKm(SpainFixture.valenciaHome)
        var atLimit = SpainFixture.concierge
        atLimit.distanceRules.maxRideKm = km
        var justShort = SpainFixture.concierge
        justShort.distanceRules.maxRideKm = km - 0.001
        let trip = trip(from: SpainFixture.valenciaHome)
        let taken = try PartnerDirectory(partners: [atLimit])
        #expect(ids(PartnerSelector.eligible(for: trip, in: taken, now: Fixture.now)) == ["concierge-salud"])
        let refused = try PartnerDirectory(partners: [justShort])
        #expect(PartnerSelector.choose(for: trip, in: refused, now: Fixture.now) == .unservable(.rideTooLong))
    }

    @Test func aShortRideInMadridGoesToTheTaxiFirst() {
        let eligible = PartnerSelector.eligible(
            for: trip(from: SpainFixture.getafeHome), in: SpainFixture.directory, now: Fixture.now)
        #expect(ids(eligible) == ["taxi-madrid", "concierge-salud"])
    }

    @Test func aRideInTheTaxisAreaButBeyondItsLongestRideFallsToTheConcierge() throws {
        let home = SpainFixture.guadalajaraHome
        #expect(SpainFixture.taxi.covers(pickup: home.point, dropOff: SpainFixture.site.point))
        let taxiLimit = try #require(SpainFixture.taxi.distanceRules.maxRideKm)
        #expect(SpainFixture.distanceKm(home) > taxiLimit)
        let eligible = PartnerSelector.eligible(for: trip(from: home), in: SpainFixture.directory, now: Fixture.now)
        #expect(ids(eligible) == ["concierge-salud"])
        let taxiOnly = try PartnerDirectory(partners: [SpainFixture.taxi])
        #expect(PartnerSelector.choose(for: trip(from: home), in: taxiOnly, now: Fixture.now) == .unservable(.rideTooLong))
    }

    @Test func theDeciderOffersALongRideOnlyToThePartnerThatTakesIt() throws {
        let scenario = try Scenario.booked(
            SpainFixture.request(from: SpainFixture.guadalajaraHome), directory: SpainFixture.directory)
        #expect(scenario.leg(Leg.out).currentPartnerID == "concierge-salud")
        #expect(scenario.leg(Leg.back).currentPartnerID == "concierge-salud")
        #expect(scenario.leg(Leg.out).triedPartnerIDs == ["concierge-salud"])
    }

    @Test func whenTheConciergeRejectsTheTaxiIsNotOfferedARideTooLongForIt() throws {
        var scenario = try Scenario.booked(
            SpainFixture.request(from: SpainFixture.guadalajaraHome, returnTrip: false),
            directory: SpainFixture.directory)
        try scenario.update(Leg.out, .rejected, sequence: 1, reason: .noDriver)
        let leg = scenario.leg(Leg.out)
        #expect(leg.status == .needsAttention)
        #expect(leg.reasonCode == UnservableReason.allPartnersTried.rawValue)
        #expect(leg.triedPartnerIDs == ["concierge-salud"])
    }

    @Test func aRideNoPartnerTakesNeedsAttentionWithAStableReason() throws {
        let km = SpainFixture.distanceKm(SpainFixture.corunaHome)
        var shorter = SpainFixture.concierge
        shorter.distanceRules.maxRideKm = km - 10
        let directory = try PartnerDirectory(partners: [SpainFixture.taxi, shorter])
        var scenario = Scenario(directory: directory)
        let decision = try scenario.apply(.requestTravel(SpainFixture.request(from: SpainFixture.corunaHome)))
        for leg in scenario.value.legs {
            #expect(leg.status == .needsAttention)
            #expect(leg.reasonCode == "RIDE_TOO_LONG")
            #expect(leg.attentionReason == .noPartnerAvailable)
        }
        #expect(decision.attention.map(\.reasonCode) == ["RIDE_TOO_LONG", "RIDE_TOO_LONG"])
        #expect(decision.partnerCommands.isEmpty)
    }

    @Test func theAreaIsNamedBeforeTheRideDistanceAndTheRideDistanceBeforeTheVehicle() throws {
        let corunaKm = SpainFixture.distanceKm(SpainFixture.corunaHome)
        var small = SpainFixture.concierge
        small.serviceArea.radiusKm = 100
        let noArea = try PartnerDirectory(partners: [small])
        #expect(
            PartnerSelector.choose(for: trip(from: SpainFixture.corunaHome), in: noArea, now: Fixture.now)
                == .unservable(.noPartnerCoversArea))
        var short = SpainFixture.concierge
        short.distanceRules.maxRideKm = corunaKm / 2
        let tooLong = try PartnerDirectory(partners: [short])
        #expect(
            PartnerSelector.choose(
                for: trip(from: SpainFixture.corunaHome, mobility: .stretcher), in: tooLong, now: Fixture.now)
                == .unservable(.rideTooLong))
        #expect(
            PartnerSelector.choose(
                for: trip(from: SpainFixture.guadalajaraHome, mobility: .stretcher), in: tooLong, now: Fixture.now)
                == .unservable(.noPartnerForMobility))
    }

    // MARK: Extra pickup lead

    @Test func theExtraLeadIsProRataBeyondTheBaseRoundedUp() {
        let rules = DistanceRules(extraLeadFromKm: 100, extraLeadMinutesPer100Km: 15)
        #expect(rules.extraLeadMinutes(rideKm: 50) == 0)
        #expect(rules.extraLeadMinutes(rideKm: 100) == 0)
        #expect(rules.extraLeadMinutes(rideKm: 100.5) == 1)
        #expect(rules.extraLeadMinutes(rideKm: 200) == 15)
        #expect(rules.extraLeadMinutes(rideKm: 300) == 30)
        #expect(rules.extraLeadMinutes(rideKm: 310) == 32)
        #expect(DistanceRules.none.extraLeadMinutes(rideKm: 500) == 0)
    }

    @Test func aLongRidesOutboundWindowOpensEarlierByTheExtraLead() throws {
        let home = SpainFixture.valenciaHome
        let expected = SpainFixture.concierge.distanceRules.extraLeadMinutes(rideKm: SpainFixture.distanceKm(home))
        #expect(expected > 0)
        var plain = SpainFixture.concierge
        plain.distanceRules = DistanceRules(maxRideKm: 600)
        let withLead = try Scenario.booked(SpainFixture.request(from: home), directory: SpainFixture.directory)
        let without = try Scenario.booked(
            SpainFixture.request(from: home), directory: try PartnerDirectory(partners: [SpainFixture.taxi, plain]))
        let early = withLead.leg(Leg.out).pickupWindow
        let late = without.leg(Leg.out).pickupWindow
        #expect(late.startAt - early.startAt == Int64(expected) * Fixture.minute)
        #expect(late.endAt - early.endAt == Int64(expected) * Fixture.minute)
        #expect(withLead.leg(Leg.out).arriveBy == without.leg(Leg.out).arriveBy)
        // The return leg starts after the visit, whatever the distance.
        #expect(withLead.leg(Leg.back).pickupWindow == without.leg(Leg.back).pickupWindow)
    }

    @Test func aRideWithinTheBaseGetsNoExtraLead() {
        let trip = trip(from: SpainFixture.guadalajaraHome)
        #expect(SpainFixture.distanceKm(SpainFixture.guadalajaraHome) < SpainFixture.concierge.distanceRules.extraLeadFromKm)
        #expect(
            PartnerSelector.extraLeadMinutes(
                pickup: trip.pickup, dropOff: trip.dropOff, needs: trip.needs, in: SpainFixture.directory) == 0)
    }

    @Test func theLargestLeadAmongPartnersThatCouldTakeTheRideApplies() throws {
        var eager = SpainFixture.concierge
        eager.id = "concierge-eager"
        eager.distanceRules.extraLeadMinutesPer100Km = 40
        var unable = eager
        unable.id = "concierge-short"
        unable.distanceRules = DistanceRules(maxRideKm: 100, extraLeadFromKm: 0, extraLeadMinutesPer100Km: 500)
        let directory = try PartnerDirectory(partners: [SpainFixture.concierge, eager, unable])
        let trip = trip(from: SpainFixture.valenciaHome)
        let km = SpainFixture.distanceKm(SpainFixture.valenciaHome)
        #expect(
            PartnerSelector.extraLeadMinutes(pickup: trip.pickup, dropOff: trip.dropOff, needs: trip.needs, in: directory)
                == eager.distanceRules.extraLeadMinutes(rideKm: km))
    }

    @Test func distanceRulesOutOfRangeAreRefused() {
        var partner = SpainFixture.concierge
        for (rules, field) in [
            (DistanceRules(maxRideKm: 0), "distance_rules.max_ride_km"),
            (DistanceRules(maxRideKm: -.infinity), "distance_rules.max_ride_km"),
            (DistanceRules(extraLeadFromKm: -1), "distance_rules.extra_lead_from_km"),
            (DistanceRules(extraLeadMinutesPer100Km: -1), "distance_rules.extra_lead_minutes_per_100_km"),
        ] {
            partner.distanceRules = rules
            #expect(throws: PartnerDirectoryError.self) { try PartnerDirectory(partners: [partner]) }
            do {
                _ = try PartnerDirectory(partners: [partner])
            } catch {
                guard case .invalidValue(_, let named, _) = error else {
                    Issue.record("expected invalidValue, got \(error)")
                    continue
                }
                #expect(named == field)
            }
        }
    }
}

extension LongDistanceTests {
    /// The offer carries no driver-facing text; the patient's language tag goes, as given, only to
    /// the partner that accepted.
    @Test func aSpanishPatientsLanguageTagReachesTheAcceptingPartnerAsGiven() throws {
        var request = SpainFixture.request(from: SpainFixture.valenciaHome, returnTrip: false)
        request.needs.language = "es"
        var scenario = try Scenario.booked(request, directory: SpainFixture.directory)
        let decision = try scenario.update(Leg.out, .accepted, sequence: 1)
        #expect(decision.confirmations.map(\.partnerID) == ["concierge-salud"])
        #expect(decision.confirmations.map(\.confirmation.language) == ["es"])
    }
}
