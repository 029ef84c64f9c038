import Logging
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire
import TrialAccess

/// A ready trial-access worker and what it publishes through. Run ``worker`` (a ServiceLifecycle
/// service, or `run()` in a task); after it stopped, ``close()``.
public struct TrialAccessWorkerParts: Sendable {
    public let worker: Worker<TrialAccessHandler>
    public let relay: OutboxRelay
    /// The producer made for the relay; nil when the caller passed its own relay.
    public let producer: KafkaProducer?

    /// The handler the worker runs.
    public var handler: TrialAccessHandler { worker.handler }

    /// Flushes and closes the producer made for the relay, if any.
    public func close() async throws {
        try await producer?.close()
    }
}

/// Builds the trial-access worker on a migrated `store` (aggregate locks only where the store runs
/// transactions concurrently): loads the start-up catalogue from
/// `catalogPath`, copies its capacities into the slot counters (``TrialAccessHandler/prepare(store:clock:)``),
/// and wires the worker to `relay` (the one relay of `store` in this process, when several workers
/// share the store) or, without one, to a relay with its own idempotent producer.
public func makeTrialAccessWorker(
    store: any TransitStore, client: KafkaClientConfiguration, topics: TransitTopics = TransitTopics(),
    catalogPath: String, config: TrialAccessConfig = .standard, options: WorkerOptions = WorkerOptions(),
    relay: OutboxRelay? = nil, logger: Logger
) async throws -> TrialAccessWorkerParts {
    try await makeTrialAccessWorker(
        store: store, client: client, topics: topics, catalog: try TrialCatalog.load(file: catalogPath), config: config,
        options: options, relay: relay, logger: logger)
}

/// ``makeTrialAccessWorker(store:client:topics:catalogPath:config:options:relay:logger:)`` with the
/// start-up catalogue already loaded (the demo merges several catalogue files).
public func makeTrialAccessWorker(
    store: any TransitStore, client: KafkaClientConfiguration, topics: TransitTopics = TransitTopics(),
    catalog: TrialCatalog, config: TrialAccessConfig = .standard, options: WorkerOptions = WorkerOptions(),
    relay: OutboxRelay? = nil, logger: Logger
) async throws -> TrialAccessWorkerParts {
    let handler = TrialAccessHandler(
        topics: topics, catalog: catalog, config: config, aggregateLocks: !store.serializesTransactions, logger: logger)
    try await handler.prepare(store: store, clock: options.clock)
    var producer: KafkaProducer?
    if relay == nil {
        producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: client, linger: .milliseconds(1)), logger: logger)
    }
    let relay = relay ?? OutboxRelay(store: store, producer: producer!, topics: topics, clock: options.clock, logger: logger)
    let worker = Worker(
        handler: handler, store: store, relay: relay, client: client, topics: topics, options: options, logger: logger)
    return TrialAccessWorkerParts(worker: worker, relay: relay, producer: producer)
}

extension TrialAccessHandler {
    /// Every topic the worker reads or writes, with the contract's suggested partition counts and
    /// the compacted catalogue (``TransitTopics/contract(partners:)``), or `partitions` for all; for
    /// `KafkaAdmin.createTopics` at start (a worker subscribed to a topic that does not exist yet
    /// would only see it at librdkafka's next metadata refresh, minutes later).
    public func topicSpecifications(partitions: Int? = nil) -> [KafkaTopicSpecification] {
        topics.specifications(
            of: [
                topics.enrollmentEvents, topics.travelRequests, topics.trialAccessEvents, topics.enrollmentFeedback,
                topics.rpcRequests(service: TrialAccessService.name), topics.bookingEvents, topics.trialCatalog,
                topics.deadLetters, topics.audit,
            ], partitions: partitions)
    }
}
