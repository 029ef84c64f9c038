import Foundation
import Logging
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire
import Testing
import TransitTestSupport

import struct TransportBooking.PartnerDirectory
import TransportWorker

/// Two transport workers sharing one PostgreSQL store write the same bookings at once: no update
/// may be lost (docs/TRANSPORT.md, "Concurrent writers").
@Suite("Transport worker: concurrent writers on PostgreSQL", .serialized, .timeLimit(.minutes(5)))
struct ConcurrentWriteTests {
    /// Worker A reads the partner's updates topic and drives every booking's outbound leg to
    /// COMPLETED, while worker B (another store connection pool, as another process would have)
    /// serves `CancelRide` for the same bookings' return legs, both at once. Each must see the
    /// other's committed change: the final bookings hold every transition both workers emitted.
    @Test func partnerUpdatesAndCancellationsOfOneBookingInTwoWorkersAreAllKept() async throws {
        let database = try await PostgresTestSchema.create("tw")
        defer { database.dropInBackground() }
        let pair = try await WorkerPair(url: database.url)
        try await withCleanup {
            let collector = try await TopicCollector([pair.topics.bookingEvents, pair.topics.deadLetters])
            try await withCleanup {
                try await pair.race(patients: 100, rounds: 3, collector: collector)
            } cleanup: {
                await collector.close()
            }
        } cleanup: {
            await pair.shutdown()
        }
    }
}

/// The two workers, their topics, the partner's updates and an RPC client.
private final class WorkerPair {
    static let partner = "metro-taxi"

    let topics: TransitTopics
    let partners: PartnerDirectory
    let url: String
    private var running: [(Worker<TopicSubset>, Task<Void, any Error>, KafkaProducer, PostgresStore)] = []
    private var rpc: (RPCClient, Task<Void, any Error>)?

    init(url: String) async throws {
        self.url = url
        let base = TransportTestSupport.unique("test-pg-race")
        topics = TransitTopics(prefix: base + ".")
        partners = try TransportTestSupport.directory([
            TransportTestSupport.partnerJSON(id: Self.partner, responseTimeoutSeconds: 3_600)
        ])
        let handler = TransportHandler(partners: partners, bookingIDs: TransportTestSupport.bookingIDs, topics: topics, logger: TransportTestSupport.logger)
        let admin = try KafkaAdmin(configuration: TransportTestSupport.client, logger: TransportTestSupport.logger)
        try await admin.createTopics(handler.topicSpecifications(partitions: 2))
        // One worker per side, as the partitions of one consumer group could be split between two
        // processes: the partner's updates (keyed by booking) on one, the patient's inputs and
        // RPCs on the other.
        try await start(handler, group: base + ".partner-side", topics: [topics.partnerUpdates(Self.partner)])
        try await start(
            handler, group: base + ".patient-side",
            topics: [
                topics.travelRequests, topics.trialAccessEvents,
                topics.rpcRequests(service: TransportBookingService.name),
            ])
    }

    private func start(_ handler: TransportHandler, group: String, topics inputs: [String]) async throws {
        let store = try PostgresStore(url: url, logger: TransportTestSupport.logger, connections: 2)
        try await store.migrate()
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: TransportTestSupport.client, linger: .milliseconds(1)),
            logger: TransportTestSupport.logger)
        let worker = Worker(
            handler: TopicSubset(base: handler, inputTopics: inputs), store: store,
            relay: OutboxRelay(store: store, producer: producer, logger: TransportTestSupport.logger),
            client: try TransportTestSupport.client, topics: topics,
            options: WorkerOptions(
                batchSize: 200, timerInterval: .milliseconds(100), groupID: group, sessionTimeout: .seconds(6),
                maxPollInterval: .seconds(8)),
            logger: TransportTestSupport.logger)
        running.append((worker, Task { try await worker.run() }, producer, store))
        await worker.waitUntilSubscribed()
    }

    private func client() throws -> RPCClient {
        if let rpc { return rpc.0 }
        let client = try RPCClient(
            client: TransportTestSupport.client, clientID: TransportTestSupport.unique("client"), topics: topics,
            logger: TransportTestSupport.logger)
        rpc = (client, Task { try await client.run() })
        return client
    }

    /// `rounds` times (one visit per round, the same patients): books every patient's visit
    /// (outbound and return legs, both accepted by the partner), then races outbound progress
    /// (worker A) against return cancellations (worker B); finally checks every booking.
    func race(patients count: Int, rounds: Int, collector: TopicCollector) async throws {
        let patients = (0..<count).map { "p-\($0)" }
        var all: [String] = []
        for round in 1...rounds {
            let visit = "v-\(round)"
            let bookingIDs = patients.map { TransportTestSupport.bookingIDs.derive(patientRef: $0, visitID: visit) }
            try await book(patients: patients, visit: visit, bookingIDs: bookingIDs, collector: collector)
            try await raceRound(patients: patients, bookingIDs: bookingIDs, collector: collector)
            all += bookingIDs
        }
        try await settle(
            collector, groups: running.map { ($0.0.groupID, $0.0.handler.inputTopics) }, stores: running.map(\.3))
        try await check(all, collector: collector)
    }

    private func book(patients: [String], visit: String, bookingIDs: [String], collector: TopicCollector) async throws {
        let appointment = TransportTestSupport.appointment()
        try await TransportTestSupport.publish(
            patients.flatMap { patient in
                [
                    (
                        topics.travelRequests, patient,
                        TransportTestSupport.travelRequested(
                            patient: patient, requestID: "req-\(visit)", visitID: visit, returnTrip: true
                        ).wireBytes()
                    ),
                    (
                        topics.trialAccessEvents, patient,
                        TransportTestSupport.travelNeeded(patient: patient, visitID: visit, at: appointment).wireBytes()
                    ),
                ]
            })
        let ids = Set(bookingIDs)
        try await waitFor(collector, "every leg of \(visit) offered") { events in
            events.filter { ids.contains($0.bookingID) }.compactMap(\.offered).count >= 2 * ids.count
        }
        try await publishUpdates(
            bookingIDs.flatMap { id in
                ["outbound-1", "return-1"].map {
                    TransportTestSupport.update(partner: Self.partner, booking: id, leg: $0, status: .accepted, sequence: 1)
                }
            })
        try await waitFor(collector, "every leg of \(visit) confirmed") { events in
            events.filter { ids.contains($0.bookingID) }.compactMap(\.confirmed).count >= 2 * ids.count
        }
        // The RPC client is up (its reply topic read) before the race starts.
        _ = try await client().call(
            TransportBookingService.getBooking, GetBookingRequest(patientRef: patients[0], visitId: visit),
            key: patients[0], deadline: .seconds(60))
    }

    /// Outbound progress on worker A (a wave per status) and return cancellations on worker B
    /// (spread over the same time), so that transactions of both overlap on the same bookings.
    private func raceRound(patients: [String], bookingIDs: [String], collector: TopicCollector) async throws {
        let progress: [(RideStatus, UInt64)] = [(.driverAssigned, 2), (.arriving, 3), (.pickedUp, 4), (.completed, 5)]
        let updatesTopic = topics.partnerUpdates(Self.partner)
        let waves = progress.map { status, sequence in
            bookingIDs.map { id in
                let update = TransportTestSupport.update(
                    partner: Self.partner, booking: id, leg: "outbound-1", status: status, sequence: sequence)
                return KafkaProducerMessage(topic: updatesTopic, key: id, value: update.wireBytes())
            }
        }
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: TransportTestSupport.client, linger: .zero),
            logger: TransportTestSupport.logger)
        let client = try client()
        async let updates: Void = Self.send(waves, producer: producer, pause: .milliseconds(100))
        let cancelled = try await withThrowingTaskGroup(of: Bool.self) { group in
            for (index, (patient, id)) in zip(patients, bookingIDs).enumerated() {
                group.addTask {
                    try await Task.sleep(for: .milliseconds(4 * index))
                    var request = CancelRideRequest()
                    request.patientRef = patient
                    request.bookingId = id
                    request.legId = "return-1"
                    request.cancelledBy = .coordinator
                    request.reasonCode = "RACE"
                    let reply = try await client.call(
                        TransportBookingService.cancelRide, request, key: patient, deadline: .seconds(60),
                        idempotencyKey: "cancel-\(id)")
                    return reply.booking?.legs.first { $0.legId == "return-1" }?.status == .cancelled
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        try await updates
        try await producer.close()
        #expect(cancelled == bookingIDs.count, "every CancelRide answered with the return leg cancelled")
        let ids = Set(bookingIDs)
        try await waitFor(collector, "every outbound leg completed and every return leg cancelled") { events in
            let round = events.filter { ids.contains($0.bookingID) }
            return round.compactMap(\.statusChange).filter { $0.status == .completed }.count >= ids.count
                && round.compactMap(\.cancelled).count >= ids.count
        }
    }

    /// Every transition an event announced is in the stored bookings; every outbound leg is
    /// completed (four progress steps in its history) and every return leg cancelled.
    private func check(_ bookingIDs: [String], collector: TopicCollector) async throws {
        let events = collector.messages.bookingEvents(on: topics.bookingEvents)
        #expect(collector.messages.filter { $0.topic == topics.deadLetters }.isEmpty, "nothing dead-lettered")
        let store = try PostgresStore(url: url, logger: TransportTestSupport.logger, connections: 1)
        let stored = try await store.transaction { transaction in
            let state = BookingState(transaction: transaction, locking: false)
            return try bookingIDs.map { try state.booking(id: $0) }
        }
        try await store.close()

        var lost: [String] = []
        for (id, booking) in zip(bookingIDs, stored) {
            guard let booking else {
                lost.append("\(id): no booking stored")
                continue
            }
            // Statuses as wire numbers (the domain's and the wire's enums share the name RideStatus).
            let history = Dictionary(uniqueKeysWithValues: booking.legs.map { ($0.legID, $0.history.map(\.to.protoNumber)) })
            let status = Dictionary(uniqueKeysWithValues: booking.legs.map { ($0.legID, $0.status.protoNumber) })
            // Every transition an event announced is in the stored leg's history.
            for event in events where event.bookingID == id {
                guard let (leg, announced) = event.legStatus else { continue }
                if !(history[leg] ?? []).contains(announced.rawValue) {
                    lost.append("\(id) \(leg): \(announced) announced, not stored")
                }
            }
            if status["outbound-1"] != RideStatus.completed.rawValue {
                lost.append("\(id) outbound-1: status \(status["outbound-1"].map(String.init) ?? "missing"), not completed")
            }
            if status["return-1"] != RideStatus.cancelled.rawValue {
                lost.append("\(id) return-1: status \(status["return-1"].map(String.init) ?? "missing"), not cancelled")
            }
            let progressed: [RideStatus] = [.driverAssigned, .arriving, .pickedUp, .completed]
            if (history["outbound-1"] ?? []).suffix(4) != progressed.map(\.rawValue)[...] {
                lost.append("\(id) outbound-1 history ends \((history["outbound-1"] ?? []).suffix(4))")
            }
        }
        #expect(lost.isEmpty, "lost updates: \(lost.prefix(10)) (\(lost.count) in all)")
    }

    /// Sends each wave (waiting for its acknowledgements), pausing between waves.
    private static func send(_ waves: [[KafkaProducerMessage]], producer: KafkaProducer, pause: Duration) async throws {
        for wave in waves {
            try await producer.send(wave)
            try await Task.sleep(for: pause)
        }
    }

    private func publishUpdates(_ updates: [PartnerRideUpdate]) async throws {
        try await TransportTestSupport.publish(
            updates.map { (topics.partnerUpdates(Self.partner), $0.bookingId, $0.wireBytes()) })
    }

    private func waitFor(
        _ collector: TopicCollector, _ what: String, _ done: @escaping ([BookingEvent]) -> Bool
    ) async throws {
        let topic = topics.bookingEvents
        let messages = try await collector.read(timeout: .seconds(90)) { done($0.bookingEvents(on: topic)) }
        try #require(done(messages.bookingEvents(on: topic)), "timed out waiting until \(what)")
    }

    func shutdown() async {
        if let rpc {
            rpc.1.cancel()
            try? await rpc.0.close()
        }
        for (worker, task, producer, store) in running {
            worker.stop()
            _ = try? await task.value
            try? await producer.close()
            try? await store.close()
        }
        running = []
    }
}

/// A ``TransportHandler`` reading only some of its topics: what one process of a consumer group
/// would be assigned.
private struct TopicSubset: TransitHandler {
    let base: TransportHandler
    let inputTopics: [String]

    var name: String { base.name }

    func decode(_ message: KafkaConsumerMessage) throws(HandlerFailure) -> DecodedRecord<TransportInput> {
        try base.decode(message)
    }

    func handle(
        _ record: DecodedRecord<TransportInput>, transaction: any StoreTransaction, context: inout HandlerContext
    ) throws {
        try base.handle(record, transaction: transaction, context: &context)
    }

    func fire(_ timer: DurableTimer, transaction: any StoreTransaction, context: inout HandlerContext) throws {
        try base.fire(timer, transaction: transaction, context: &context)
    }
}

extension BookingEvent {
    /// The booking an event is about.
    fileprivate var bookingID: String {
        switch body {
        case .rideRequested(let body): body.booking?.bookingId ?? ""
        case .rideOffered(let body): body.bookingId
        case .rideConfirmed(let body): body.bookingId
        case .rideStatusChanged(let body): body.bookingId
        case .rideCancelled(let body): body.bookingId
        case .rideNeedsAttention(let body): body.bookingId
        case nil: ""
        }
    }

    /// The leg and status a status-changing event announces (offer, confirmation, status, cancellation).
    fileprivate var legStatus: (String, RideStatus)? {
        switch body {
        case .rideOffered(let body): (body.legId, .offered)
        case .rideConfirmed(let body): (body.legId, .accepted)
        case .rideStatusChanged(let body): (body.legId, body.status)
        case .rideCancelled(let body): (body.legId, .cancelled)
        default: nil
        }
    }
}
