import Foundation
import Logging
import Testing
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitTestSupport
import TransitTime
import TransitWire
import TransportWorker

import struct TransportBooking.PartnerDirectory

/// A transport failure reaches trial access: the real transport worker books a ride no partner can
/// take (RideNeedsAttention NO_PARTNER_AVAILABLE on `transport.booking.events.v1`), and the real
/// trial-access worker marks the visit at risk (VisitAtRisk, audit record, GetEnrollment).
@Suite("trial-access worker: visit at risk", .serialized, .timeLimit(.minutes(5)))
struct VisitAtRiskFlowTests {
    /// The only partner drives around Boston; the patient lives near Amsterdam.
    static let bostonOnly = """
        {"version": 1, "partners": [{"id": "boston-cabs", "priority": 1,
         "service_area": {"centre": {"latitude": 42.36, "longitude": -71.06}, "radius_km": 60},
         "capabilities": {"mobility": ["ambulatory", "wheelchair"], "companion_seats": 3},
         "minimum_lead_time_minutes": 0, "free_cancellation_minutes": 60, "response_timeout_seconds": 120}]}
        """

    @Test("NO_PARTNER_AVAILABLE from the transport worker marks the visit at risk, audited and in GetEnrollment")
    func noPartnerMarksVisitAtRisk() async throws {
        try await withWorker("at-risk") { topics, _ in
            let transport = try await RunningTransport.start(topics: topics, partnersJSON: Self.bostonOnly)
            let rpc = try RunningClient.start(topics: topics)
            do {
                let patient = TestBroker.unique("pt")
                let referred = Fixture.referred(consents: [Fixture.consent(.contact), Fixture.consent(.transport)])
                try await TestBroker.publish([Fixture.referral(patient, referred)], topics: topics)
                _ = try await TestBroker.events(topics) { $0.latestState(of: patient) == .eligible }
                let visit = Fixture.visit("v-c1d1")
                try await TestBroker.publish([Fixture.visitScheduled(patient, visit)], topics: topics)
                try await TestBroker.publish([Fixture.travelRequested(patient)], topics: topics)

                // Both legs (outbound and return) find no partner: one VisitAtRisk each, in leg order.
                let events = try await TestBroker.events(topics) { events in
                    events.filter { if case .visitAtRisk? = $0.body { $0.patientRef == patient } else { false } }.count >= 2
                }
                let risks = events.compactMap { event -> VisitAtRisk? in
                    guard event.patientRef == patient, case .visitAtRisk(let risk)? = event.body else { return nil }
                    return risk
                }
                #expect(risks.map(\.legId) == ["outbound-1", "return-1"])
                let risk = try #require(risks.first)
                #expect(risk.visitId == visit.visitId)
                #expect(risk.trialId == TestCatalog.trialID)
                #expect(risk.reason == .noPartnerAvailable)
                #expect(risk.bookingId.hasPrefix("bk-"))
                #expect(!risk.legId.isEmpty)
                #expect(!risk.sourceEventId.isEmpty)

                let attention = try await readTopic(topics.bookingEvents) { messages in
                    messages.contains { (try? BookingEvent(wireBytes: $0.value))?.eventId == risk.sourceEventId }
                }.compactMap { try? BookingEvent(wireBytes: $0.value) }.first { $0.eventId == risk.sourceEventId }
                guard case .rideNeedsAttention(let needs)? = attention?.body else {
                    Issue.record("VisitAtRisk.source_event_id is not a RideNeedsAttention")
                    return
                }
                #expect(needs.visitId == visit.visitId)
                #expect(needs.trialId == TestCatalog.trialID)
                #expect(needs.reason == .noPartnerAvailable)

                let audit = try await TestBroker.auditRecords(topics) { records in
                    records.contains { $0.subject == patient && $0.details["visit-risk"] != nil }
                }
                let record = try #require(audit.first { $0.subject == patient && $0.details["visit-risk"] != nil })
                #expect(record.actor == "worker:trial-access")
                #expect(record.details["visit-risk"] == "no-partner-available")
                #expect(record.details["visit-id"] == visit.visitId)
                #expect(record.details["booking-id"] == risk.bookingId)

                let enrollment = try await rpc.enrollment(of: patient)
                #expect(enrollment.visitsAtRisk == risks, "one risk per leg, in the order reported")
                #expect(enrollment.visits.map(\.visitId) == [visit.visitId])
            } catch {
                await rpc.stop()
                await transport.stop()
                throw error
            }
            await rpc.stop()
            await transport.stop()
        }
    }

    @Test("the worklist shows the NO_PARTNER_AVAILABLE ride and resolves it by rebooking; the partner's acceptance clears that leg's risk")
    func worklistRebooksWithNamedPartner() async throws {
        try await withWorker("worklist") { topics, _ in
            let transport = try await RunningTransport.start(topics: topics, partnersJSON: Self.bostonOnly)
            do {
                let patient = TestBroker.unique("pt")
                let referred = Fixture.referred(consents: [Fixture.consent(.contact), Fixture.consent(.transport)])
                try await TestBroker.publish([Fixture.referral(patient, referred)], topics: topics)
                _ = try await TestBroker.events(topics) { $0.latestState(of: patient) == .eligible }
                try await TestBroker.publish([Fixture.visitScheduled(patient, Fixture.visit("v-c1d1"))], topics: topics)
                try await TestBroker.publish([Fixture.travelRequested(patient)], topics: topics)
                let events = try await TestBroker.events(topics) { events in
                    events.filter { if case .visitAtRisk? = $0.body { $0.patientRef == patient } else { false } }.count >= 2
                }
                let bookingIDs = events.compactMap { event -> String? in
                    if case .visitAtRisk(let risk)? = event.body { risk.bookingId } else { nil }
                }
                let bookingID = try #require(bookingIDs.first)
                let item = "\(bookingID)/outbound-1"

                let list = try await cli(["attention", "list", "--topic-prefix", topics.prefix])
                let line = try #require(list.split(separator: "\n").first { $0.contains(item) })
                #expect(line.contains("NO_PARTNER_AVAILABLE"))
                #expect(line.contains("v-c1d1"))
                #expect(!list.contains(patient), "list shows no patient ref")
                #expect(list.contains("\(bookingID)/return-1"))

                let resolved = try await cli([
                    "attention", "resolve", item, "--rebook-with", "boston-cabs", "--actor", "ops:coordinator-test",
                    "--topic-prefix", topics.prefix,
                ])
                #expect(resolved == "\(item): rebooked (offered to boston-cabs)")

                let booking = try await readTopic(topics.bookingEvents) { messages in
                    messages.contains { Self.offered($0, bookingID: bookingID) != nil }
                }.compactMap { Self.offered($0, bookingID: bookingID) }
                #expect(booking.map(\.legId) == ["outbound-1"])
                #expect(booking.first?.partnerId == "boston-cabs")
                let offers = try await readTopic(topics.partnerRequests("boston-cabs")) { !$0.isEmpty }
                #expect(offers.count == 1)
                #expect(offers.first?.keyString == bookingID)

                let audit = try await TestBroker.auditRecords(topics) { records in
                    records.contains { $0.actor == "ops:coordinator-test" }
                }
                let record = try #require(audit.first { $0.actor == "ops:coordinator-test" })
                #expect(record.action == .manual)
                #expect(record.subject == bookingID)
                #expect(record.details["attention-item"] == item)
                #expect(record.details["attention-resolution"] == "rebooked")
                #expect(record.details["partner-id"] == "boston-cabs")

                let after = try await cli(["attention", "list", "--topic-prefix", topics.prefix])
                #expect(!after.contains(item))
                #expect(after.contains("\(bookingID)/return-1"))

                // boston-cabs accepts the rebooked leg: RideConfirmed clears that leg's risk only.
                var accepted = PartnerRideUpdate()
                accepted.eventId = TestBroker.unique("up")
                accepted.occurredAt = SystemWallClock().nowMilliseconds()
                accepted.partnerId = "boston-cabs"
                accepted.bookingId = bookingID
                accepted.legId = "outbound-1"
                accepted.partnerRideId = "ride-1"
                accepted.status = .accepted
                accepted.sequence = 1
                try await TestBroker.publish([
                    KafkaProducerMessage(
                        topic: topics.partnerUpdates("boston-cabs"), key: bookingID, value: accepted.wireBytes())
                ])
                let cleared = try await TestBroker.events(topics) { events in
                    events.contains { if case .visitRiskCleared? = $0.body { $0.patientRef == patient } else { false } }
                }.compactMap { event -> VisitRiskCleared? in
                    guard event.patientRef == patient, case .visitRiskCleared(let value)? = event.body else { return nil }
                    return value
                }
                #expect(cleared.map(\.legId) == ["outbound-1"])
                #expect(cleared.first?.bookingId == bookingID)
                #expect(cleared.first?.visitId == "v-c1d1")
                try await withRPCClient(topics) { rpc in
                    let enrollment = try await rpc.enrollment(of: patient)
                    #expect(enrollment.visitsAtRisk.map(\.legId) == ["return-1"], "the return leg is still at risk")
                }

                // The coordinator cancels the return leg from the worklist: CancelRide by COORDINATOR.
                let returnItem = "\(bookingID)/return-1"
                let cancelled = try await cli([
                    "attention", "resolve", returnItem, "--cancel", "--actor", "ops:coordinator-test",
                    "--topic-prefix", topics.prefix,
                ])
                #expect(cancelled == "\(returnItem): cancelled")
                let cancellation = try await readTopic(topics.bookingEvents) { messages in
                    messages.contains { Self.cancelled($0, bookingID: bookingID, leg: "return-1") != nil }
                }.compactMap { Self.cancelled($0, bookingID: bookingID, leg: "return-1") }
                #expect(cancellation.map(\.cancelledBy) == [.coordinator])
                let closed = try await cli(["attention", "list", "--topic-prefix", topics.prefix])
                #expect(!closed.contains(returnItem))
            } catch {
                await transport.stop()
                throw error
            }
            await transport.stop()
        }
    }

    static func cancelled(_ message: KafkaConsumerMessage, bookingID: String, leg: String) -> RideCancelled? {
        guard let event = try? BookingEvent(wireBytes: message.value), case .rideCancelled(let cancelled)? = event.body,
            cancelled.bookingId == bookingID, cancelled.legId == leg
        else { return nil }
        return cancelled
    }

    static func offered(_ message: KafkaConsumerMessage, bookingID: String) -> RideOffered? {
        guard let event = try? BookingEvent(wireBytes: message.value), case .rideOffered(let offered)? = event.body,
            offered.bookingId == bookingID
        else { return nil }
        return offered
    }
}

/// The transport worker on its own SQLite file, in this process.
struct RunningTransport {
    let worker: Worker<TransportHandler>
    let task: Task<Void, any Error>
    let producer: KafkaProducer
    let store: SQLiteStore
    let path: String

    static func start(topics: TransitTopics, partnersJSON: String) async throws -> RunningTransport {
        let partners = try PartnerDirectory.load(protoJSON: Array(partnersJSON.utf8))
        let bookingIDs = try BookingIDKeyring(current: .generate(id: "test"))
        let handler = TransportHandler(partners: partners, bookingIDs: bookingIDs, topics: topics)
        let admin = try KafkaAdmin(configuration: TestBroker.client, logger: TestBroker.quietLogger)
        try await admin.createTopics(handler.topicSpecifications(partitions: 2))
        let path = temporarySQLitePath("taw-transport")
        let store = try SQLiteStore(path: path, logger: TestBroker.quietLogger)
        try await store.migrate()
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: try TestBroker.client, linger: .milliseconds(1)),
            logger: TestBroker.quietLogger)
        let worker = makeTransportWorker(
            partners: partners, bookingIDs: bookingIDs, store: store, producer: producer,
            client: try TestBroker.client, topics: topics,
            options: WorkerOptions(
                batchSize: 200, groupID: TestBroker.unique("taw-transport"), sessionTimeout: .seconds(6),
                maxPollInterval: .seconds(30)),
            logger: TestBroker.quietLogger)
        let task = Task { try await worker.run() }
        await worker.waitUntilSubscribed()
        return RunningTransport(worker: worker, task: task, producer: producer, store: store, path: path)
    }

    func stop() async {
        worker.stop()
        _ = try? await task.value
        try? await producer.close()
        try? await store.close()
        removeSQLiteFiles(path)
    }
}
