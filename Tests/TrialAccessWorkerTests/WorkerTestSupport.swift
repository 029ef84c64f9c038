import Foundation
import Logging
import Testing
import TransitKafka
import TransitTime
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire
import TrialAccess
import TrialAccessWorker
import TransitTestSupport

/// Broker, topics, publishing and reading for the trial-access worker's integration tests.
enum TestBroker {
    static var brokers: String { get throws { try TestEnvironment.brokers } }
    static var client: KafkaClientConfiguration { get throws { try TestEnvironment.client } }

    static let quietLogger: Logger = {
        var logger = Logger(label: "trial-access-worker-test")
        logger.logLevel = .error
        return logger
    }()

    static func unique(_ prefix: String) -> String { uniqueName(prefix) }

    /// Fresh topics under a unique prefix; the worker's input topics get `partitions` partitions.
    static func makeTopics(_ name: String, partitions: Int = 2) async throws -> TransitTopics {
        let topics = TransitTopics(prefix: unique("test-taw-\(name)") + ".")
        let admin = try KafkaAdmin(configuration: client, logger: quietLogger)
        try await admin.createTopics([
            KafkaTopicSpecification(name: topics.enrollmentEvents, partitions: partitions),
            KafkaTopicSpecification(name: topics.travelRequests, partitions: partitions),
            KafkaTopicSpecification(name: topics.trialCatalog, partitions: 1),
            KafkaTopicSpecification(name: topics.rpcRequests(service: TrialAccessService.name), partitions: partitions),
            KafkaTopicSpecification(name: topics.trialAccessEvents, partitions: partitions),
            KafkaTopicSpecification(name: topics.bookingEvents, partitions: partitions),
            KafkaTopicSpecification(name: topics.deadLetters, partitions: 1),
            KafkaTopicSpecification(name: topics.audit, partitions: 1),
            KafkaTopicSpecification(name: topics.enrollmentFeedback, partitions: 1),
        ])
        return topics
    }

    /// Publishes records and waits for the acknowledgements.
    static func publish(_ messages: [KafkaProducerMessage]) async throws {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: quietLogger)
        try await producer.send(messages)
        try await producer.close()
    }

    static func publish(_ events: [EnrollmentEvent], topics: TransitTopics) async throws {
        try await publish(
            events.map {
                KafkaProducerMessage(topic: topics.enrollmentEvents, key: $0.patientRef, value: $0.wireBytes())
            })
    }

    /// Publishes events in one produce request to partition 0 (keyed by patient ref as usual),
    /// so the worker reads them together and decides them in this order, one right after the
    /// other. Use it when a test needs one decision to happen before a timer can fire: a second
    /// publish after a wait may reach the worker only seconds later on a loaded machine.
    static func publishInOrder(_ events: [EnrollmentEvent], topics: TransitTopics) async throws {
        try await publish(
            events.map {
                KafkaProducerMessage(
                    topic: topics.enrollmentEvents, partition: 0, key: $0.patientRef, value: $0.wireBytes())
            })
    }

    static func publish(_ events: [TravelEvent], topics: TransitTopics) async throws {
        try await publish(
            events.map { KafkaProducerMessage(topic: topics.travelRequests, key: $0.patientRef, value: $0.wireBytes()) }
        )
    }

    /// Reads a topic from the beginning until `done` holds for what was read; throws
    /// ``WaitTimeout`` with what it read when `timeout` passes first.
    static func read(
        _ topic: String, timeout: Duration = .seconds(90), until done: ([KafkaConsumerMessage]) -> Bool
    ) async throws -> [KafkaConsumerMessage] {
        try await readTopic(topic, timeout: timeout, until: done)
    }

    /// The `TrialAccessEvent`s on the events topic (distinct by event id, in topic order per
    /// partition) once `done` holds for them; throws ``WaitTimeout`` when `timeout` passes first.
    static func events(
        _ topics: TransitTopics, timeout: Duration = .seconds(90), until done: @escaping ([TrialAccessEvent]) -> Bool
    ) async throws -> [TrialAccessEvent] {
        let messages = try await read(topics.trialAccessEvents, timeout: timeout) { done(decodeEvents($0)) }
        return decodeEvents(messages)
    }

    static func decodeEvents(_ messages: [KafkaConsumerMessage]) -> [TrialAccessEvent] {
        var seen = Set<String>()
        return messages.compactMap { message in
            guard let event = try? TrialAccessEvent(wireBytes: message.value), seen.insert(event.eventId).inserted
            else {
                return nil
            }
            return event
        }
    }

    /// The audit records on the audit topic once `done` holds; throws ``WaitTimeout`` when `timeout` passes first.
    static func auditRecords(
        _ topics: TransitTopics, timeout: Duration = .seconds(90), until done: @escaping ([AuditRecord]) -> Bool
    ) async throws -> [AuditRecord] {
        func decode(_ messages: [KafkaConsumerMessage]) -> [AuditRecord] {
            var seen = Set<String>()
            return messages.compactMap { message in
                guard let record = try? AuditRecord(wireBytes: message.value), seen.insert(record.auditId).inserted
                else {
                    return nil
                }
                return record
            }
        }
        return decode(try await read(topics.audit, timeout: timeout) { done(decode($0)) })
    }
}

extension [TrialAccessEvent] {
    /// Status changes of one patient, in order.
    func statusChanges(of patientRef: String) -> [EnrollmentStatusChanged] {
        compactMap { event in
            guard event.patientRef == patientRef, case .enrollmentStatusChanged(let change)? = event.body else {
                return nil
            }
            return change
        }
    }

    /// The latest state of one patient's status changes, if any.
    func latestState(of patientRef: String) -> TransitWire.EnrollmentState? {
        statusChanges(of: patientRef).last?.state
    }

    func slotsReserved(for patientRef: String) -> [SlotReserved] {
        compactMap { event in
            guard event.patientRef == patientRef, case .slotReserved(let reserved)? = event.body else { return nil }
            return reserved
        }
    }
}

/// A trial-access worker running in this process.
struct RunningWorker {
    let parts: TrialAccessWorkerParts
    let task: Task<Void, any Error>

    var worker: Worker<TrialAccessHandler> { parts.worker }

    static func start(
        store: any TransitStore, topics: TransitTopics, catalogPath: String, config: TrialAccessConfig = .standard,
        group: String, logger: Logger = TestBroker.quietLogger, clock: any WallClock = SystemWallClock()
    ) async throws -> RunningWorker {
        let parts = try await makeTrialAccessWorker(
            store: store, client: try TestBroker.client, topics: topics, catalogPath: catalogPath, config: config,
            options: WorkerOptions(
                // A generous poll interval: a worker that claims newly assigned partitions publishes
                // their pending rows before it polls again; one that does not poll within the interval
                // leaves the group and its partitions move (the suspected cause of one worker deciding
                // both referrals of the slot race once on a loaded CI run; 8 s before). A generous session
                // time-out too: no test here relies on a crashed member being replaced (a stopped one
                // leaves the group at once), and under a full run with a busy core the two workers'
                // partitions once moved in the middle of the waitlist offer test (6 s before).
                batchSize: 200, groupID: group, sessionTimeout: .seconds(20), maxPollInterval: .seconds(30), clock: clock),
            logger: logger)
        let worker = parts.worker
        let task = Task { try await worker.run() }
        await worker.waitUntilSubscribed()
        return RunningWorker(parts: parts, task: task)
    }

    /// Stops the loop (after the batch in hand) and closes the producer; bounded.
    func stop() async {
        parts.worker.stop()
        let task = self.task
        let stopped = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = try? await task.value
                return true
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(20))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !stopped { task.cancel() }
        try? await parts.close()
    }
}

/// An RPC client with its reply reader running.
struct RunningClient {
    let client: RPCClient
    let task: Task<Void, any Error>

    static func start(topics: TransitTopics) throws -> RunningClient {
        let client = try RPCClient(
            client: try TestBroker.client, clientID: TestBroker.unique("taw-test"), topics: topics,
            logger: TestBroker.quietLogger)
        return RunningClient(client: client, task: Task { try await client.run() })
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
        try? await client.close()
    }

    /// `GetEnrollment` of the patient in the test catalogue's trial; throws when it answers none.
    func enrollment(of patient: String) async throws -> TransitWire.Enrollment {
        var get = GetEnrollmentRequest()
        get.patientRef = patient
        get.trialId = TestCatalog.trialID
        return try #require(
            try await client.call(TrialAccessService.getEnrollment, get, key: patient, deadline: .seconds(90)).enrollment)
    }
}

/// Runs `trialtransit` (the brokers from the environment) and returns its standard output.
func cli(_ arguments: [String]) async throws -> String {
    let path = try BuiltExecutable.path()
    return try await onOwnThread { try runCommand(path, arguments) }
}

/// Whether `trialtransit` with these arguments exits with a failure.
func cliFails(_ arguments: [String]) async throws -> Bool {
    do {
        _ = try await cli(arguments)
        return false
    } catch is CommandFailure {
        return true
    }
}
