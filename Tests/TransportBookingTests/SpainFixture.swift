import TransportBooking

/// Spanish places and partners for the long-distance rules: a Madrid taxi that takes short rides
/// only and a taxi-based concierge covering mainland Spain that takes long rides between provinces.
enum SpainFixture {
    static let puertaDelSol = GeoPoint(latitude: 40.4168, longitude: -3.7038)
    /// Hospital Universitario 12 de Octubre, Madrid (a site of samples/catalog-es.json).
    static let site = Location(
        point: GeoPoint(latitude: 40.3756, longitude: -3.6985),
        addressText: "Avenida de Córdoba, s/n, 28041 Madrid, main entrance")
    /// About 9 km from the site.
    static let getafeHome = Location(
        point: GeoPoint(latitude: 40.3057, longitude: -3.7329), addressText: "Calle Madrid 4, 28901 Getafe")
    /// About 53 km from the site: inside the taxi's area but beyond its longest ride.
    static let guadalajaraHome = Location(
        point: GeoPoint(latitude: 40.6329, longitude: -3.1669), addressText: "Calle Mayor 2, 19001 Guadalajara")
    /// About 300 km from the site.
    static let valenciaHome = Location(
        point: GeoPoint(latitude: 39.4699, longitude: -0.3763), addressText: "Carrer de Colón 9, 46004 València")
    /// About 510 km from the site.
    static let corunaHome = Location(
        point: GeoPoint(latitude: 43.3623, longitude: -8.4115), addressText: "Rúa Real 7, 15003 A Coruña")

    /// Address fragments that must never appear on events or audit records.
    static let addressFragments = ["Calle Madrid", "Calle Mayor", "Carrer de Colón", "Rúa Real", "Avenida de Córdoba"]

    static let taxi = Partner(
        id: "taxi-madrid", name: "Taxi Madrid", serviceArea: ServiceArea(centre: puertaDelSol, radiusKm: 70),
        mobility: [.ambulatory], companionSeats: 3, minimumLeadTimeMinutes: 60, freeCancellationMinutes: 30,
        responseTimeoutSeconds: 120, priority: 1, distanceRules: DistanceRules(maxRideKm: 45))
    static let concierge = Partner(
        id: "concierge-salud", name: "Concierge Salud", serviceArea: ServiceArea(centre: puertaDelSol, radiusKm: 650),
        mobility: [.ambulatory, .wheelchair], companionSeats: 1, minimumLeadTimeMinutes: 720,
        freeCancellationMinutes: 720, responseTimeoutSeconds: 600, priority: 2,
        distanceRules: DistanceRules(maxRideKm: 600, extraLeadFromKm: 100, extraLeadMinutesPer100Km: 15))

    static var directory: PartnerDirectory { try! PartnerDirectory(partners: [taxi, concierge]) }

    static func distanceKm(_ home: Location) -> Double { home.point.distanceKm(to: site.point) }

    static func request(from home: Location, returnTrip: Bool = true, mobility: Mobility = .ambulatory)
        -> TravelRequest
    {
        Fixture.request(pickup: home, dropOff: site, returnTrip: returnTrip, mobility: mobility)
    }
}
