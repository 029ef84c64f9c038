import Foundation
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitWire
import TransportBooking
@testable import TransportWorker
import Testing

/// Mapping and decoding without a broker.
@Suite("Transport worker: wire mapping")
struct WireMappingTests {
    static let now: Int64 = 1_767_312_000_000

    static func directory() throws -> PartnerDirectory {
        try TransportTestSupport.directory([
            TransportTestSupport.partnerJSON(id: "metro-taxi", mobility: ["ambulatory", "wheelchair"])
        ])
    }

    /// A booking decided from a travel request, with its outputs.
    static func decision() throws -> BookingDecision {
        let request = TravelRequest(
            eventID: "input-7/v-1", origin: .travelNeeded, patientRef: "p-001", trialID: "NCT01234567", visitID: "v-1",
            travelRequestID: "req-1", appointmentAt: now + 3 * 86_400_000, visitDurationMinutes: 90,
            pickup: TransportBooking.Location(
                point: TransportBooking.GeoPoint(latitude: 42.3318, longitude: -71.1212), addressText: "Harvard Street 12"),
            dropOff: TransportBooking.Location(
                point: TransportBooking.GeoPoint(latitude: 42.3626, longitude: -71.0687), addressText: "Fruit Street 55"),
            returnTrip: true, needs: RideNeeds(mobility: .wheelchair, companions: 1, language: "nl"),
            contactToken: "ct-secret", bookingID: TransportTestSupport.bookingIDs.derive(patientRef: "p-001", visitID: "v-1"))
        return try BookingDecider().decide(.requestTravel(request), booking: nil, partners: directory(), now: now).get()
    }

    /// Field names of a message's JSON form (proto names, as written by the generated code).
    static func fieldNames(_ json: String) throws -> Set<String> {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] ?? [:]
        return Set(object.keys)
    }

    @Test func rideOffersCarryExactlyTheAllowedFields() throws {
        let decision = try Self.decision()
        #expect(decision.partnerCommands.count == 2)
        for command in decision.partnerCommands {
            let wire = PartnerRideCommand(command)
            #expect(wire.source == "trialtransit")
            // The domain's id embeds the input id (here naming the visit); the partner sees an opaque one.
            #expect(command.eventID.contains("v-1"))
            #expect(wire.eventId.hasPrefix("pc-") && wire.eventId.count == 35)
            #expect(wire.eventId == PartnerRideCommand(command).eventId)
            guard case .rideOffer(let offer) = wire.body else {
                Issue.record("not an offer")
                continue
            }
            #expect(
                try Self.fieldNames(offer.jsonString()).isSubset(of: [
                    "bookingId", "legId", "pickup", "dropOff", "pickupWindow", "mobility", "companions", "language",
                    "contactToken", "offerExpiresAt",
                ]))
            #expect(try Self.fieldNames(wire.jsonString()).isSubset(of: ["eventId", "occurredAt", "source", "rideOffer"]))
            #expect(offer.mobility == .wheelchair)
            #expect(offer.companions == 1)
            #expect(offer.language == "nl")
            #expect(offer.contactToken == "ct-secret")
            let bytes = String(decoding: wire.wireBytes(), as: UTF8.self)
            for forbidden in ["p-001", "NCT01234567", "v-1", "req-1"] { #expect(!bytes.contains(forbidden)) }
        }
    }

    @Test func bookingEventsAndAuditRecordsCarryNoPersonalData() throws {
        let decision = try Self.decision()
        var texts = decision.events.map { String(decoding: TransitWire.BookingEvent($0, source: "transport").wireBytes(), as: UTF8.self) }
        texts += decision.audit.map { String(decoding: AuditRecord($0).wireBytes(), as: UTF8.self) }
        #expect(texts.count > 4)
        for text in texts {
            for personal in ["Harvard Street", "Fruit Street", "ct-secret"] { #expect(!text.contains(personal)) }
        }
        guard case .rideRequested(let requested)? = TransitWire.BookingEvent(decision.events[0], source: "transport").body else {
            Issue.record("first event is not RideRequested")
            return
        }
        #expect(requested.booking?.legs.map(\.legId) == ["outbound-1", "return-1"])
        #expect(requested.booking?.mobility == .wheelchair)
    }

    @Test func enumsMapByProtoNumber() {
        for status in TransportBooking.RideStatus.allCases {
            #expect(TransitWire.RideStatus(status).domain == status)
        }
        for mobility in TransportBooking.Mobility.allCases {
            #expect(TransitWire.Mobility(mobility).domain == mobility)
        }
        #expect(TransitWire.RideStatus.unspecified.domain == nil)
        #expect(TransitWire.RideStatus(rawValue: 99).domain == nil)
        #expect(TransitWire.CancellationActor(nil) == .unspecified)
    }

    @Test func decodeRoutesByTopicAndSkipsOtherTrialAccessBodies() throws {
        let topics = TransitTopics(prefix: "unit.")
        let handler = TransportHandler(partners: try Self.directory(), bookingIDs: TransportTestSupport.bookingIDs, topics: topics)
        func message(_ topic: String, _ value: [UInt8], headers: [KafkaHeader] = []) -> KafkaConsumerMessage {
            KafkaConsumerMessage(topic: topic, partition: 0, offset: 1, timestamp: nil, key: Array("k".utf8), value: value, headers: headers)
        }
        #expect(
            Set(handler.inputTopics) == [
                "unit.travel.requests.v1", "unit.trial.access.events.v1",
                "unit.rpc.trialtransit.v1.TransportBooking.requests", "unit.transport.partner.metro-taxi.updates.v1",
            ])

        let slot = TrialAccessEvent(
            eventId: "ta-1", occurredAt: 1, source: "t", patientRef: "p-1", body: .slotReserved(SlotReserved(slotId: "s")))
        let skipped = try handler.decode(message(topics.trialAccessEvents, slot.wireBytes()))
        guard case .notForThisWorker = skipped.input else {
            Issue.record("SlotReserved should be acknowledged, not handled")
            return
        }

        var update = PartnerRideUpdate()
        update.eventId = "1"
        update.partnerId = "metro-taxi"
        let decoded = try handler.decode(message(topics.partnerUpdates("metro-taxi"), update.wireBytes()))
        #expect(decoded.eventID == "partner/metro-taxi/1")

        #expect(throws: HandlerFailure.self) { try handler.decode(message(topics.travelRequests, [0xFF, 0x00])) }
        let noBody = TravelEvent(eventId: "e", occurredAt: 1, source: "t", patientRef: "p-1")
        let failure = #expect(throws: HandlerFailure.self) { try handler.decode(message(topics.travelRequests, noBody.wireBytes())) }
        #expect(failure?.code == "NO_BODY")
        let rpc = #expect(throws: HandlerFailure.self) {
            try handler.decode(message(topics.rpcRequests(service: TransportBookingService.name), []))
        }
        #expect(rpc?.code == "NO_REPLY_TO")
    }
}
