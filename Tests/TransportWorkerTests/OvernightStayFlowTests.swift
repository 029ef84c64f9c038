import TransitKafka
import TransitTestSupport
import TransitWire
import typealias TransportBooking.Millis
import Testing

@Suite("Transport worker: overnight stay", .timeLimit(.minutes(3)))
struct OvernightStayFlowTests {
    /// About 230 km from the site: a round trip with a 90 min visit makes a travel day of about
    /// 17 hours, longer than the default longest travel day (12 h).
    static let albany = Location(point: GeoPoint(latitude: 42.6526, longitude: -73.7562), addressText: "State Street 1, Albany")

    /// A return trip too long for one day: the outbound leg is offered, the return leg reaches
    /// transport.booking.events.v1 as RideNeedsAttention OVERNIGHT_STAY and stays open on
    /// `trialtransit attention list` (nothing closes it until a coordinator acts); the coordinator
    /// then offers it for the next day (`attention resolve --rebook-with --pickup-window`).
    @Test func aReturnTripTooLongForADayShowsOnTheCoordinatorsWorklist() async throws {
        try await TransportHarness.with(
            "overnight", partners: [TransportTestSupport.partnerJSON(id: "long-haul", radiusKm: 400)]
        ) { harness, collector in
            let patient = TransportTestSupport.unique("p")
            let visit = "visit-overnight"
            try await harness.publish(
                TransportTestSupport.travelRequested(patient: patient, visitID: visit, returnTrip: true, from: Self.albany))
            try await harness.publish(
                TransportTestSupport.travelNeeded(patient: patient, visitID: visit, at: TransportTestSupport.appointment()))
            try await harness.waitForEvents(collector) { events in
                events.contains { if case .rideNeedsAttention? = $0.body { true } else { false } }
                    && events.contains { if case .rideOffered? = $0.body { true } else { false } }
            }
            let events = harness.events(collector).filter { $0.patientRef == patient }
            let attention = events.compactMap { if case .rideNeedsAttention(let body)? = $0.body { body } else { nil } }
            #expect(attention.map(\.legId) == ["return-1"])
            #expect(attention.map(\.reason) == [.overnightStay])
            #expect(attention.map(\.reasonCode) == ["OVERNIGHT_STAY"])
            let offered = events.compactMap { if case .rideOffered(let body)? = $0.body { body.legId } else { nil } }
            #expect(offered == ["outbound-1"])

            let executable = try BuiltExecutable.path()
            let arguments = [
                "attention", "list", "--json", "--brokers", try TransportTestSupport.brokers, "--local-broker",
                "--topic-prefix", harness.topics.prefix,
            ]
            let listed = try await onOwnThread { try runCommand(executable, arguments) }
            let items = listed.split(separator: "\n").filter { $0.contains("\"booking_id\"") }
            #expect(items.count == 1, "\(listed)")
            #expect(items.first?.contains("\"reason\":\"ATTENTION_REASON_OVERNIGHT_STAY\"") == true, "\(listed)")
            #expect(items.first?.contains("\"reason_code\":\"OVERNIGHT_STAY\"") == true, "\(listed)")
            #expect(items.first?.contains("\"leg_id\":\"return-1\"") == true, "\(listed)")
            #expect(!listed.contains("Albany"), "\(listed)")

            // The next day's return: the held leg's window moved by a day and offered.
            let booking = try #require(attention.first?.bookingId)
            let held = try #require(
                events.compactMap { if case .rideRequested(let body)? = $0.body { body.booking } else { nil } }
                    .flatMap(\.legs).first { $0.legId == "return-1" }?.pickupWindow)
            let nextDay = "\(held.startAt + Millis.day)/\(held.endAt + Millis.day)"
            let resolve = [
                "attention", "resolve", "\(booking)/return-1", "--rebook-with", "long-haul", "--pickup-window", nextDay,
                "--actor", "ops:overnight-test", "--brokers", try TransportTestSupport.brokers, "--local-broker",
                "--topic-prefix", harness.topics.prefix,
            ]
            let resolved = try await onOwnThread { try runCommand(executable, resolve) }
            #expect(resolved == "\(booking)/return-1: rebooked (offered to long-haul)")
            func returnOffers(_ messages: [KafkaConsumerMessage]) -> [RideOffer] {
                messages.compactMap { message in
                    guard case .rideOffer(let offer)? = (try? PartnerRideCommand(wireBytes: message.value))?.body,
                        offer.legId == "return-1"
                    else { return nil }
                    return offer
                }
            }
            let offers = returnOffers(
                try await readTopic(harness.topics.partnerRequests("long-haul")) { !returnOffers($0).isEmpty })
            #expect(offers.map(\.pickupWindow?.startAt) == [held.startAt + Millis.day])
            #expect(offers.map(\.pickupWindow?.endAt) == [held.endAt + Millis.day])
        }
    }
}
