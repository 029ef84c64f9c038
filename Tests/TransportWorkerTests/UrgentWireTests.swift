import Foundation
import TransitWire
import TransportBooking
@testable import TransportWorker
import Testing

/// The urgent flag from `TravelNeeded` to the partner's `RideOffer`, and nothing clinical with it.
@Suite("Transport worker: urgent rides on the wire")
struct UrgentWireTests {
    static func travelNeeded(urgent: Bool) -> TravelNeeded {
        TravelNeeded(
            visit: TransitWire.Visit(
                visitId: "ae-9/visit", trialId: "NCT01234567", siteId: "MGH", visitCode: "UNSCHEDULED",
                scheduledAt: WireMappingTests.now + 7_200_000,
                protocolWindow: TransitWire.TimeWindow(
                    startAt: WireMappingTests.now, endAt: WireMappingTests.now + 43_200_000)),
            destination: TransitWire.Location(
                point: TransitWire.GeoPoint(latitude: 42.3626, longitude: -71.0687), addressText: "Fruit Street 55"),
            mobility: .wheelchair, companions: 1, language: "es", urgent: urgent)
    }

    @Test func travelNeededCarriesTheUrgentFlagIntoTheIntake() throws {
        #expect(try Self.travelNeeded(urgent: true).domain().urgent)
        #expect(try !Self.travelNeeded(urgent: false).domain().urgent)
    }

    @Test func anUrgentOfferSaysUrgentAndNothingMore() throws {
        var intake = TravelIntake(patientRef: "p-001")
        _ = intake.record(
            TravelAssistance(
                requestID: "req-1", trialID: "NCT01234567", visitID: nil,
                pickup: TransportBooking.Location(
                    point: TransportBooking.GeoPoint(latitude: 42.3318, longitude: -71.1212),
                    addressText: "Harvard Street 12"),
                dropOff: nil, returnTrip: true, mobility: nil, companions: 0, language: nil, contactToken: "ct-secret"),
            eventID: "tar-1")
        var request = try #require(intake.record(try Self.travelNeeded(urgent: true).domain(), eventID: "ta-9"))
        #expect(request.urgent)
        request.bookingID = TransportTestSupport.bookingIDs.derive(patientRef: "p-001", visitID: request.visitID)
        let decision = try BookingDecider().decide(
            .requestTravel(request), booking: nil, partners: WireMappingTests.directory(), now: WireMappingTests.now
        ).get()
        #expect(decision.partnerCommands.count == 2)
        for command in decision.partnerCommands {
            let wire = PartnerRideCommand(command)
            guard case .rideOffer(let offer) = wire.body else {
                Issue.record("not an offer")
                continue
            }
            #expect(offer.urgent)
            #expect(
                try WireMappingTests.fieldNames(offer.jsonString()) == [
                    "bookingId", "legId", "pickupArea", "dropOffArea", "distanceM", "pickupWindow", "mobility",
                    "companions", "offerExpiresAt", "urgent",
                ])
            let bytes = String(decoding: wire.wireBytes(), as: UTF8.self) + wire.jsonString()
            for forbidden in ["p-001", "NCT01234567", "ae-9", "UNSCHEDULED", "MGH", "Harvard Street", "ct-secret"] {
                #expect(!bytes.contains(forbidden))
            }
        }
    }
}
