import Foundation
import Testing
import TransitTestSupport
import TransitWire
import TransportBooking
import TransportWorker

private typealias Point = TransportBooking.GeoPoint

/// samples/partners-es.json, loaded by the production loader, against the sites of
/// samples/catalog-es.json: a local Madrid taxi for short rides and a taxi-based healthcare
/// concierge that takes long rides between provinces.
@Suite("Spanish partner file")
struct SpanishPartnerFileTests {
    static let path = TestEnvironment.repositoryRoot + "/samples/partners-es.json"
    static let catalogPath = TestEnvironment.repositoryRoot + "/samples/catalog-es.json"

    /// Every site of the Spanish catalogue, by site id, read by the generated catalogue decoder.
    fileprivate func sites() throws -> [String: Point] {
        let catalog = try TrialCatalogFile(jsonUTF8: Array(try Data(contentsOf: URL(fileURLWithPath: Self.catalogPath))))
        var sites: [String: Point] = [:]
        for site in catalog.trials.flatMap(\.sites) {
            let point = try #require(site.location?.point)
            sites[site.siteId] = Point(latitude: point.latitude, longitude: point.longitude)
        }
        return sites
    }

    fileprivate func eligible(from pickup: Point, to dropOff: Point, in directory: PartnerDirectory) -> [String] {
        let trip = TripRequirements(
            pickup: pickup, dropOff: dropOff, needs: RideNeeds(mobility: .ambulatory, language: "es"),
            pickupAt: Int64.max / 2)
        return PartnerSelector.eligible(for: trip, in: directory, now: 0).map(\.id)
    }

    @Test func theFileLoadsWithALocalTaxiAndALongDistanceConcierge() throws {
        let directory = try PartnerDirectory.load(file: Self.path)
        let taxi = try #require(directory.partner(id: "taxi-madrid"))
        let concierge = try #require(directory.partner(id: "concierge-salud"))
        #expect(directory.partners.count == 2)
        #expect(taxi.priority < concierge.priority)
        let taxiLimit = try #require(taxi.distanceRules.maxRideKm)
        let conciergeLimit = try #require(concierge.distanceRules.maxRideKm)
        #expect(taxiLimit < conciergeLimit)
        #expect(concierge.distanceRules.extraLeadMinutesPer100Km > 0)
        #expect(concierge.mobility.contains(.wheelchair))
        #expect(try PartnerDirectory.load(protoJSON: Array(directory.protoJSON().utf8)) == directory)
    }

    @Test func ridesBetweenMadridSitesGoToTheTaxiFirst() throws {
        let directory = try PartnerDirectory.load(file: Self.path)
        let sites = try sites()
        let octubre = try #require(sites["es-mad-12oct"])
        let laPaz = try #require(sites["es-mad-lapaz"])
        #expect(eligible(from: laPaz, to: octubre, in: directory) == ["taxi-madrid", "concierge-salud"])
    }

    @Test func ridesFromOtherProvincesToMadridGoToTheConciergeWithAnEarlierPickup() throws {
        let directory = try PartnerDirectory.load(file: Self.path)
        let concierge = try #require(directory.partner(id: "concierge-salud"))
        let sites = try sites()
        let madrid = try #require(sites["es-mad-12oct"])
        for id in ["es-bcn-vhebron", "es-vlc-lafe", "es-svq-vrocio", "es-sdr-valdecilla", "es-pna-cun"] {
            let from = try #require(sites[id])
            #expect(eligible(from: from, to: madrid, in: directory) == ["concierge-salud"], "\(id)")
            let extra = PartnerSelector.extraLeadMinutes(
                pickup: from, dropOff: madrid, needs: RideNeeds(mobility: .ambulatory), in: directory)
            #expect(extra == concierge.distanceRules.extraLeadMinutes(rideKm: from.distanceKm(to: madrid)), "\(id)")
            #expect(extra > 0, "\(id)")
        }
    }

    @Test func aRideAcrossThePeninsulaIsLongerThanAnyPartnerTakes() throws {
        let directory = try PartnerDirectory.load(file: Self.path)
        let sites = try sites()
        let barcelona = try #require(sites["es-bcn-vhebron"])
        let sevilla = try #require(sites["es-svq-vrocio"])
        let trip = TripRequirements(
            pickup: barcelona, dropOff: sevilla, needs: RideNeeds(mobility: .ambulatory), pickupAt: Int64.max / 2)
        let choice = PartnerSelector.choose(for: trip, in: directory, now: 0)
        // Both lie within the concierge's area; the ride (about 830 km) is beyond its longest ride.
        #expect(choice == .unservable(.rideTooLong))
    }
}
