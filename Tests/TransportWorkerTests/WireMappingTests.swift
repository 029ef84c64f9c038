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
                try Self.fieldNames(offer.jsonString()) == [
                    "bookingId", "legId", "pickupArea", "dropOffArea", "distanceM", "pickupWindow", "mobility",
                    "companions", "offerExpiresAt",
                ])
            #expect(try Self.fieldNames(wire.jsonString()) == ["eventId", "occurredAt", "source", "rideOffer"])
            #expect(offer.mobility == .wheelchair)
            #expect(offer.companions == 1)
            #expect(offer.distanceM > 0 && offer.distanceM % 500 == 0)
            let home = try #require(offer.legId == "outbound-1" ? offer.pickupArea : offer.dropOffArea)
            #expect(home.cellCentre?.latitude == 42.33 && home.cellCentre?.longitude == -71.13)
            let bytes = String(decoding: wire.wireBytes(), as: UTF8.self)
            for forbidden in ["p-001", "NCT01234567", "v-1", "req-1", "Harvard Street", "Fruit Street", "ct-secret"] {
                #expect(!bytes.contains(forbidden))
            }
        }
    }

    @Test func confirmationsAndCancellationsCarryExactlyTheirFields() throws {
        let booked = try Self.decision()
        let booking = booked.booking
        let accepted = PartnerUpdate(
            eventID: "partner/metro-taxi/u-1", partnerID: "metro-taxi", bookingID: booking.bookingID, legID: "outbound-1",
            partnerRideID: "r-1", status: .accepted, sequence: 1, etaAt: nil, reason: nil)
        let decision = try BookingDecider().decide(
            .partnerUpdate(accepted), booking: booking, partners: try Self.directory(), now: Self.now + 1_000
        ).get()
        let wire = try #require(decision.partnerCommands.map(PartnerRideCommand.init).first)
        guard case .rideConfirmation(let confirmation) = wire.body else {
            Issue.record("the accepting partner got no confirmation: \(wire)")
            return
        }
        #expect(try Self.fieldNames(wire.jsonString()) == ["eventId", "occurredAt", "source", "rideConfirmation"])
        #expect(
            try Self.fieldNames(confirmation.jsonString()) == [
                "bookingId", "legId", "pickup", "dropOff", "pickupWindow", "language", "contactToken",
            ])
        #expect(confirmation.pickup?.addressText == "Harvard Street 12")
        #expect(confirmation.dropOff?.addressText == "Fruit Street 55")
        #expect(confirmation.contactToken == "ct-secret" && confirmation.language == "nl")

        let cancelled = try BookingDecider().decide(
            .cancel(.travelNoLongerNeeded(eventID: "ta-9", reason: .visitCancelled)), booking: decision.booking,
            partners: try Self.directory(), now: Self.now + 2_000
        ).get()
        for command in cancelled.partnerCommands.map(PartnerRideCommand.init) {
            guard case .rideCancellation(let cancellation) = command.body else {
                Issue.record("not a cancellation: \(command)")
                continue
            }
            // The accepted leg's partner must forget; the offered-only return leg's had nothing to forget.
            #expect(cancellation.forgetRideDetails == (cancellation.legId == "outbound-1"))
            #expect(try Self.fieldNames(cancellation.jsonString()).isSubset(of: ["bookingId", "legId", "lateCancellation", "forgetRideDetails"]))
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
