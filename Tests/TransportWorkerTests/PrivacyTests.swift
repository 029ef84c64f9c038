import TransitDemo
import TransitKafka
import TransitRPC
import TransitWire
import TransportWorker
import Testing

@Suite("Transport worker: privacy", .timeLimit(.minutes(3)))
struct PrivacyTests {
    /// Every record on the partner topic of a partner that accepts both legs, decoded field by
    /// field: offers hold only coarse areas, distance, window, mobility, companions and expiry; the
    /// confirmations hold the addresses, language and token; the cancellations tell it to forget
    /// them. No patient ref, trial, visit or site anywhere.
    @Test func partnerTopicPayloadsCarryOnlyTheAllowedFields() async throws {
        try await TransportHarness.with("privacy", partners: [TransportTestSupport.partnerJSON(id: "metro-taxi")]) {
            harness, collector in
            try await harness.simulator(PartnerSimulatorOptions(partnerID: "metro-taxi", stepDelay: .seconds(60)))
            let patient = TransportTestSupport.unique("p")
            // TravelNeeded first, so that the travel request completes the join: the booking's input
            // id is then `<event id>/v-1`, which names the visit and must not reach the partner.
            try await harness.publish(
                TransportTestSupport.travelNeeded(patient: patient, visitID: "v-1", at: TransportTestSupport.appointment()))
            try await harness.waitUntilHandled(1)
            try await harness.publish(TransportTestSupport.travelRequested(patient: patient, visitID: "v-1", returnTrip: true))
            let confirmed = try await harness.waitForEvents(collector) { $0.compactMap(\.confirmed).count == 2 }
            let bookingID = try #require(confirmed.compactMap(\.confirmed).first?.bookingId)
            try await harness.publish(TransportTestSupport.travelNoLongerNeeded(patient: patient, visitID: "v-1"))
            let partnerTopic = harness.topics.partnerRequests("metro-taxi")
            let records = try await collector.read { messages in
                messages.partnerCommands(on: partnerTopic).count >= 6
            }.filter { $0.topic == partnerTopic }
            #expect(records.count == 6)

            var offers: [String: RideOffer] = [:]
            var confirmations: [String: RideConfirmation] = [:]
            var cancellations: [String: RideCancellation] = [:]
            for record in records {
                #expect(record.keyString == bookingID)
                #expect(record.headers.allSatisfy { $0.name == TransitHeaders.traceparent })
                let command = try PartnerRideCommand(wireBytes: record.value)
                #expect(command.wireBytes() == Array(record.value), "no field outside the schema")
                #expect(!command.eventId.isEmpty)
                #expect(command.source == "trialtransit")
                #expect(command.occurredAt > 0)
                for forbidden in [patient, "NCT01234567", "v-1", "site-mgh", "C1D1"] {
                    #expect(!Self.bytes(record.value, contain: forbidden), "partner record carries \(forbidden)")
                }
                switch command.body {
                case .rideOffer(let offer):
                    offers[offer.legId] = offer
                    for personal in Self.personal {
                        #expect(!Self.bytes(record.value, contain: personal), "an offer carries \(personal)")
                    }
                case .rideConfirmation(let confirmation): confirmations[confirmation.legId] = confirmation
                case .rideCancellation(let cancellation): cancellations[cancellation.legId] = cancellation
                case nil: Issue.record("command without body")
                }
            }
            #expect(Set(offers.keys) == ["outbound-1", "return-1"])
            #expect(Set(confirmations.keys) == ["outbound-1", "return-1"])
            #expect(Set(cancellations.keys) == ["outbound-1", "return-1"])
            let outbound = try #require(offers["outbound-1"])
            let inbound = try #require(offers["return-1"])
            let home = PartnerTopicChecks.area(TransportTestSupport.pickup)
            let site = PartnerTopicChecks.area(TransportTestSupport.site)
            #expect(outbound.bookingId == bookingID)
            #expect(outbound.pickupArea == home && outbound.dropOffArea == site)
            #expect(inbound.pickupArea == site && inbound.dropOffArea == home)
            for offer in [outbound, inbound] {
                PartnerTopicChecks.expectOfferFields(offer, mobility: .ambulatory, companions: 0)
            }
            let out = try #require(confirmations["outbound-1"])
            let back = try #require(confirmations["return-1"])
            #expect(out.pickup == TransportTestSupport.pickup && out.dropOff == TransportTestSupport.site)
            #expect(back.pickup == TransportTestSupport.site && back.dropOff == TransportTestSupport.pickup)
            for (leg, confirmation) in confirmations {
                #expect(confirmation.bookingId == bookingID)
                #expect(confirmation.contactToken == TransportTestSupport.contactToken)
                #expect(confirmation.language == "en")
                #expect(confirmation.pickupWindow == offers[leg]?.pickupWindow)
            }
            for cancellation in cancellations.values {
                #expect(cancellation.bookingId == bookingID)
                #expect(cancellation.lateCancellation == false)
                #expect(cancellation.forgetRideDetails, "the accepting partner is told to forget")
            }

            // Booking events and audit records never carry an address or a token.
            let pseudonymous = collector.messages.filter {
                $0.topic == harness.topics.bookingEvents || $0.topic == harness.topics.audit
            }
            #expect(!pseudonymous.isEmpty)
            for record in pseudonymous {
                for personal in Self.personal {
                    #expect(!Self.bytes(record.value, contain: personal), "\(record.topic) carries personal data")
                }
            }
        }
    }

    /// PatientDataErasureRequested: open legs are cancelled (the partner is told), addresses and
    /// tokens leave the store, the history and ids stay, and ERASURE audit records are written.
    @Test func erasureRemovesAddressesAndTokensButKeepsTheHistory() async throws {
        try await TransportHarness.with("erasure", partners: [TransportTestSupport.partnerJSON(id: "metro-taxi")]) {
            harness, collector in
            try await harness.simulator(PartnerSimulatorOptions(partnerID: "metro-taxi", stepDelay: .seconds(60)))
            let patient = TransportTestSupport.unique("p")
            try await harness.publish(TransportTestSupport.travelRequested(patient: patient, visitID: "v-1"))
            try await harness.publish(
                TransportTestSupport.travelNeeded(patient: patient, visitID: "v-1", at: TransportTestSupport.appointment()))
            try await harness.waitForEvents(collector) { $0.contains { $0.confirmed != nil } }
            // The site's address is no personal data (trial access sends it); the pickup and the token are.
            let personal = [TransportTestSupport.pickup.addressText, TransportTestSupport.contactToken]
            let before = try await harness.storedPersonalData(patient: patient, visit: "v-1", searching: personal)
            #expect(before.legsWithPersonalData == 1)
            #expect(before.travelRequests == 1)
            #expect(before.rawBytesContainSearched)

            try await harness.publish(TransportTestSupport.erasureRequested(patient: patient))
            let events = try await harness.waitForEvents(collector) { $0.contains { $0.cancelled != nil } }
            #expect(events.compactMap(\.cancelled).map(\.reasonCode) == ["DATA_ERASED"])
            let audit = try await collector.read { messages in
                messages.filter { $0.topic == harness.topics.audit }.compactMap { try? AuditRecord(wireBytes: $0.value) }
                    .filter { $0.action == .erasure }.count >= 2
            }.filter { $0.topic == harness.topics.audit }.compactMap { try? AuditRecord(wireBytes: $0.value) }
            let erasures = audit.filter { $0.action == .erasure }
            let bookingID = try #require(events.compactMap(\.confirmed).first?.bookingId)
            #expect(Set(erasures.map(\.subject)) == [patient, bookingID])
            #expect(erasures.allSatisfy { $0.details["erasure-request-id"] == "er-1" })

            let after = try await harness.storedPersonalData(patient: patient, visit: "v-1", searching: personal)
            #expect(after.legs == 1)
            #expect(after.legsWithPersonalData == 0)
            #expect(after.personalDataErasedAt != nil)
            #expect(after.travelRequests == 0)
            #expect(!after.rawBytesContainSearched)
            #expect(after.historyEntries >= before.historyEntries + 1)
            #expect(after.statuses == ["cancelled"])

            let booking = try await harness.getBooking(patient: patient, visit: "v-1")
            #expect(booking.legs.map(\.status) == [.cancelled])
            #expect(booking.legs.first?.reasonCode == "DATA_ERASED")
            #expect(booking.legs.first?.partnerId == "metro-taxi")
            let commands = harness.commands(collector, partner: "metro-taxi")
            if case .rideCancellation = commands.last?.body {} else { Issue.record("the partner was not told to forget") }
        }
    }

    /// Addresses and the contact token of the test's travel requests.
    static let personal = [
        TransportTestSupport.pickup.addressText, TransportTestSupport.site.addressText, TransportTestSupport.contactToken,
    ]

    static func bytes(_ bytes: ArraySlice<UInt8>, contain text: String) -> Bool {
        let needle = Array(text.utf8)
        guard !needle.isEmpty, bytes.count >= needle.count else { return false }
        let haystack = Array(bytes)
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}
