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

                var get = GetEnrollmentRequest()
                get.patientRef = patient
                get.trialId = TestCatalog.trialID
                let enrollment = try #require(
                    try await rpc.client.call(TrialAccessService.getEnrollment, get, key: patient, deadline: .seconds(90))
                        .enrollment)
                #expect(enrollment.visitsAtRisk == [risks[risks.count - 1]], "the latest report per visit")
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
}

/// The transport worker on its own SQLite file, in this process.
struct RunningTransport {
    let worker: Worker<TransportHandler>
    let task: Task<Void, any Error>
    let producer: KafkaProducer
    let store: SQLiteStore
    let path: String

    static func start(topics: TransitTopics, partnersJSON: String) async throws -> RunningTransport {
        let partners = try PartnerDirectory.load(json: Data(partnersJSON.utf8))
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
