import Foundation
import TransitDemo
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitTime
import TransitWire
import struct TransportBooking.PartnerDirectory
import TransitTestSupport
import TransportWorker

/// One test's transport worker: its own topic prefix, consumer group and SQLite file; simulators
/// and an RPC client on demand. Call ``shutdown()`` at the end.
final class TransportHarness {
    let topics: TransitTopics
    let partners: PartnerDirectory
    let sqlite: String
    let group: String
    /// The worker's wall clock (a ``ManualClock`` where a test moves time itself).
    let clock: any WallClock
    /// Booking-id keys of the next ``startWorker()`` (a test may rotate them between restarts).
    var bookingIDs = TransportTestSupport.bookingIDs
    private(set) var worker: Worker<TransportHandler>?
    private var workerTask: Task<Void, any Error>?
    private var store: SQLiteStore?
    private var producer: KafkaProducer?
    private var simulators: [(PartnerSimulator, Task<Void, any Error>)] = []
    private var rpc: (RPCClient, Task<Void, any Error>)?

    /// Creates the topics (2 partitions each) and starts the worker.
    init(_ name: String, partners: [String], clock: any WallClock = SystemWallClock()) async throws {
        self.clock = clock
        let base = TransportTestSupport.unique("test-\(name)")
        topics = TransitTopics(prefix: base + ".")
        group = base + ".transport"
        sqlite = TransportTestSupport.sqlitePath()
        self.partners = try TransportTestSupport.directory(partners)
        let admin = try KafkaAdmin(configuration: TransportTestSupport.client, logger: TransportTestSupport.logger)
        try await admin.createTopics(TransportHandler(partners: self.partners, bookingIDs: TransportTestSupport.bookingIDs, topics: topics).topicSpecifications(partitions: 2))
        try await startWorker()
    }

    /// Starts a worker on the test's SQLite file (a new process would do the same).
    func startWorker() async throws {
        let store = try SQLiteStore(path: sqlite, logger: TransportTestSupport.logger)
        try await store.migrate()
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: try TransportTestSupport.client, linger: .milliseconds(1)),
            logger: TransportTestSupport.logger)
        let worker = makeTransportWorker(
            partners: partners, bookingIDs: bookingIDs, store: store, producer: producer, client: try TransportTestSupport.client, topics: topics,
            options: WorkerOptions(
                batchSize: 200, timerInterval: .milliseconds(100), groupID: group, sessionTimeout: .seconds(6),
                maxPollInterval: .seconds(8), clock: clock),
            logger: TransportTestSupport.logger)
        self.store = store
        self.producer = producer
        self.worker = worker
        workerTask = Task { try await worker.run() }
        await worker.waitUntilSubscribed()
    }

    /// Stops the worker gracefully (batch in hand, outbox, commit, leave the group).
    func stopWorker() async throws {
        worker?.stop()
        try await workerTask?.value
        try await producer?.close()
        try await store?.close()
        workerTask = nil
        producer = nil
        store = nil
    }

    /// Starts a partner simulator for `options.partnerID` in its own group.
    @discardableResult
    func simulator(_ options: PartnerSimulatorOptions) async throws -> PartnerSimulator {
        var options = options
        options.groupID = group + ".sim." + options.partnerID
        let simulator = PartnerSimulator(
            options: options, client: try TransportTestSupport.client, topics: topics, logger: TransportTestSupport.logger,
            output: { _ in })
        let task = Task { try await simulator.run() }
        simulators.append((simulator, task))
        await simulator.waitUntilSubscribed()
        return simulator
    }

    /// An RPC client on this test's topics (started once).
    func client() throws -> RPCClient {
        if let rpc { return rpc.0 }
        let client = try RPCClient(
            client: TransportTestSupport.client, clientID: TransportTestSupport.unique("client"), topics: topics,
            logger: TransportTestSupport.logger)
        rpc = (client, Task { try await client.run() })
        return client
    }

    /// A collector over the worker's outputs: booking events, audit, dead letters and every
    /// partner's requests topic.
    func collector() async throws -> TopicCollector {
        try await TopicCollector(
            [topics.bookingEvents, topics.audit, topics.deadLetters] + partners.partners.map { topics.partnerRequests($0.id) })
    }

    /// Waits until the worker consumed every input published so far and published their outputs,
    /// then reads `collector` to the end (see ``settle(_:groups:stores:timeout:)``).
    func settle(_ collector: TopicCollector) async throws {
        guard let worker, let store else { throw TestEnvironmentError(description: "the worker is not running") }
        try await TransitTestSupport.settle(collector, groups: [(group, worker.handler.inputTopics)], stores: [store])
    }

    func publish(_ event: TravelEvent) async throws {
        try await TransportTestSupport.publish([(topics.travelRequests, event.patientRef, event.wireBytes())])
    }

    func publish(_ event: TrialAccessEvent) async throws {
        try await TransportTestSupport.publish([(topics.trialAccessEvents, event.patientRef, event.wireBytes())])
    }

    func publish(_ updates: [PartnerRideUpdate], on partnerID: String) async throws {
        try await TransportTestSupport.publish(updates.map { (topics.partnerUpdates(partnerID), $0.bookingId, $0.wireBytes()) })
    }

    /// Reads the worker's state directly from its SQLite file.
    func readState<R: Sendable>(_ body: @escaping @Sendable (BookingState) throws -> R) async throws -> R {
        let reader = try SQLiteStore(path: sqlite, logger: TransportTestSupport.logger)
        do {
            let result = try await reader.transaction { transaction in try body(BookingState(transaction: transaction, locking: false)) }
            try await reader.close()
            return result
        } catch {
            try? await reader.close()
            throw error
        }
    }

    func shutdown() async {
        for (simulator, task) in simulators {
            simulator.stop()
            _ = try? await task.value
        }
        if let rpc {
            rpc.1.cancel()
            try? await rpc.0.close()
        }
        try? await stopWorker()
        TransportTestSupport.removeSQLite(sqlite)
    }
}

extension TransportHarness {
    /// Runs `body` with a started harness and a collector over its outputs; always cleans up.
    static func with(
        _ name: String, partners: [String], clock: any WallClock = SystemWallClock(),
        _ body: (TransportHarness, TopicCollector) async throws -> Void
    ) async throws {
        let harness = try await TransportHarness(name, partners: partners, clock: clock)
        try await withCleanup {
            let collector = try await harness.collector()
            try await withCleanup { try await body(harness, collector) } cleanup: { await collector.close() }
        } cleanup: {
            await harness.shutdown()
        }
    }

    /// Booking events collected so far.
    func events(_ collector: TopicCollector) -> [BookingEvent] {
        collector.messages.bookingEvents(on: topics.bookingEvents)
    }

    /// Commands on one partner's requests topic collected so far.
    func commands(_ collector: TopicCollector, partner: String) -> [PartnerRideCommand] {
        collector.messages.partnerCommands(on: topics.partnerRequests(partner))
    }

    /// Waits until the collected booking events satisfy `done`.
    @discardableResult
    func waitForEvents(
        _ collector: TopicCollector, timeout: Duration = .seconds(90), _ done: @escaping ([BookingEvent]) -> Bool
    ) async throws -> [BookingEvent] {
        let topic = topics.bookingEvents
        return try await collector.read("booking events", timeout: timeout) { done($0.bookingEvents(on: topic)) }
            .bookingEvents(on: topic)
    }

    /// Waits until the worker handled at least `count` records.
    func waitUntilHandled(_ count: Int, timeout: Duration = .seconds(90)) async throws {
        try await waitUntil("\(count) records handled", timeout: timeout, saw: { "\(self.worker?.stats.handled ?? 0) handled" }) {
            (self.worker?.stats.handled ?? 0) >= count
        }
    }

    /// Trial access released the visit for transport (`TravelNeeded`, sent while the patient holds
    /// TRANSPORT consent and asked for travel), as `BookRide` needs; waits until the worker handled it.
    func releaseForTransport(patient: String, visitID: String, _ collector: TopicCollector) async throws {
        try await publish(
            TransportTestSupport.travelNeeded(patient: patient, visitID: visitID, at: TransportTestSupport.appointment()))
        try await settle(collector)
    }

    /// GetBooking by visit over RPC.
    func getBooking(patient: String, visit: String) async throws -> Booking {
        let response = try await client().call(
            TransportBookingService.getBooking, GetBookingRequest(patientRef: patient, visitId: visit), key: patient,
            deadline: .seconds(90))
        return response.booking ?? Booking()
    }
}
