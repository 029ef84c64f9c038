import TransitDemo
import TransitKafka
import TransitWire
import TransportWorker
import Testing
import TransitTestSupport

/// Issue #15 point 5 against the real broker: three partners, read field by field on their
/// requests topics. The first declines, the second lets its offer lapse, the third accepts; only
/// the third ever receives an address, the language or the contact token, and only it is told to
/// forget them when the ride is cancelled.
@Suite("Transport worker: minimum necessary on partner topics", .timeLimit(.minutes(3)))
struct MinimumNecessaryTests {
    @Test func decliningAndLapsingPartnersNeverReceiveAnAddressOrAToken() async throws {
        let partners = [
            TransportTestSupport.partnerJSON(id: "decliner", priority: 1),
            TransportTestSupport.partnerJSON(id: "lapser", priority: 2, responseTimeoutSeconds: 1),
            TransportTestSupport.partnerJSON(id: "acceptor", priority: 3),
        ]
        try await TransportHarness.with("minimum", partners: partners) { harness, collector in
            let decliner = try await harness.simulator(
                PartnerSimulatorOptions(partnerID: "decliner", rejectFirst: 1_000, stepDelay: .seconds(60)))
            let lapser = try await harness.simulator(PartnerSimulatorOptions(partnerID: "lapser", silent: true))
            let acceptor = try await harness.simulator(PartnerSimulatorOptions(partnerID: "acceptor", stepDelay: .seconds(60)))
            let patient = TransportTestSupport.unique("p")
            try await harness.publish(
                TransportTestSupport.travelNeeded(patient: patient, visitID: "v-1", at: TransportTestSupport.appointment()))
            try await harness.publish(TransportTestSupport.travelRequested(patient: patient, visitID: "v-1", companions: 1))
            let confirmed = try await harness.waitForEvents(collector) { !$0.compactMap(\.confirmed).isEmpty }
            #expect(confirmed.compactMap(\.confirmed).map(\.partnerId) == ["acceptor"])
            try await waitUntil("the acceptor to hold the ride's details") { acceptor.ridesWithDetails == 1 }

            try await harness.publish(TransportTestSupport.travelNoLongerNeeded(patient: patient, visitID: "v-1"))
            try await harness.waitForEvents(collector) { !$0.compactMap(\.cancelled).isEmpty }
            try await waitUntil("the acceptor to forget the ride's details") {
                acceptor.stats.cancellations == 1 && acceptor.ridesWithDetails == 0
            }
            try await harness.settle(collector)

            let declined = try Self.commands(collector, harness.topics.partnerRequests("decliner"))
            let lapsed = try Self.commands(collector, harness.topics.partnerRequests("lapser"))
            let accepted = try Self.commands(collector, harness.topics.partnerRequests("acceptor"))
            #expect(declined.map(\.kind) == ["offer"], "decliner: \(declined.map(\.kind))")
            #expect(lapsed.map(\.kind) == ["offer", "cancellation"], "lapser: \(lapsed.map(\.kind))")
            #expect(accepted.map(\.kind) == ["offer", "confirmation", "cancellation"], "acceptor: \(accepted.map(\.kind))")
            #expect(decliner.stats.rejected == 1 && lapser.stats.unanswered == 1 && acceptor.stats.confirmations == 1)

            let bookingID = try #require(confirmed.compactMap(\.confirmed).first?.bookingId)
            let home = PartnerTopicChecks.area(TransportTestSupport.pickup)
            let site = PartnerTopicChecks.area(TransportTestSupport.site)
            for command in declined + lapsed + accepted {
                #expect(command.record.keyString == bookingID)
                for forbidden in [patient, "NCT01234567", "v-1", "site-mgh", "C1D1"] {
                    #expect(!PrivacyTests.bytes(command.record.value, contain: forbidden), "\(command.kind) carries \(forbidden)")
                }
                switch command.wire.body {
                case .rideOffer(let offer):
                    #expect(offer.bookingId == bookingID && offer.legId == "outbound-1")
                    #expect(offer.pickupArea == home && offer.dropOffArea == site)
                    PartnerTopicChecks.expectOfferFields(offer, mobility: .ambulatory, companions: 1)
                case .rideConfirmation(let confirmation):
                    #expect(confirmation.bookingId == bookingID && confirmation.legId == "outbound-1")
                    #expect(confirmation.pickup == TransportTestSupport.pickup)
                    #expect(confirmation.dropOff == TransportTestSupport.site)
                    #expect(confirmation.contactToken == TransportTestSupport.contactToken && confirmation.language == "en")
                    #expect(confirmation.pickupWindow != nil)
                case .rideCancellation(let cancellation):
                    #expect(cancellation.bookingId == bookingID && cancellation.legId == "outbound-1")
                    #expect(!cancellation.lateCancellation)
                case nil:
                    Issue.record("command without a body")
                }
            }
            // Field by field, the declining and the lapsing partner got nothing personal.
            for command in declined + lapsed {
                for personal in PrivacyTests.personal {
                    #expect(!PrivacyTests.bytes(command.record.value, contain: personal), "\(command.kind) carries \(personal)")
                }
                if case .rideCancellation(let cancellation) = command.wire.body {
                    #expect(!cancellation.forgetRideDetails, "the lapsed partner never had details to forget")
                }
            }
            if case .rideCancellation(let cancellation) = accepted.last?.wire.body {
                #expect(cancellation.forgetRideDetails, "the accepting partner is told to forget")
            }
        }
    }

    /// One partner's commands, decoded; each must re-encode to its exact bytes (no unknown field).
    static func commands(_ collector: TopicCollector, _ topic: String) throws -> [PartnerCommandRecord] {
        try collector.messages.filter { $0.topic == topic }.map { record in
            let wire = try PartnerRideCommand(wireBytes: record.value)
            #expect(wire.wireBytes() == Array(record.value), "a field outside the schema on \(topic)")
            #expect(wire.source == "trialtransit" && wire.occurredAt > 0 && !wire.eventId.isEmpty)
            return PartnerCommandRecord(record: record, wire: wire)
        }
    }
}

/// A partner command as read from its topic.
struct PartnerCommandRecord {
    var record: KafkaConsumerMessage
    var wire: PartnerRideCommand

    var kind: String {
        switch wire.body {
        case .rideOffer: "offer"
        case .rideConfirmation: "confirmation"
        case .rideCancellation: "cancellation"
        case nil: "none"
        }
    }
}
