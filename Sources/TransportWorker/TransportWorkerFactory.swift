import Logging
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire
import TransportBooking

/// A ``Worker`` running a ``TransportHandler``, with its own outbox relay on `producer`.
public func makeTransportWorker(
    partners: PartnerDirectory, bookingIDs: BookingIDKeyring, store: any TransitStore, producer: KafkaProducer, client: KafkaClientConfiguration,
    topics: TransitTopics = TransitTopics(), options: WorkerOptions = WorkerOptions(),
    config: BookingConfig = .standard, logger: Logger
) -> Worker<TransportHandler> {
    makeTransportWorker(
        partners: partners, bookingIDs: bookingIDs, store: store, relay: OutboxRelay(store: store, producer: producer, topics: topics, logger: logger),
        client: client, topics: topics, options: options, config: config, logger: logger)
}

/// A ``Worker`` running a ``TransportHandler`` that publishes through `relay` (the one relay of
/// `store` in this process, when several workers share the store). Patient locks are taken unless
/// the store runs its transactions one at a time (``TransitStore/serializesTransactions``, SQLite).
public func makeTransportWorker(
    partners: PartnerDirectory, bookingIDs: BookingIDKeyring, store: any TransitStore, relay: OutboxRelay, client: KafkaClientConfiguration,
    topics: TransitTopics = TransitTopics(), options: WorkerOptions = WorkerOptions(),
    config: BookingConfig = .standard, logger: Logger
) -> Worker<TransportHandler> {
    let handler = TransportHandler(
        partners: partners, bookingIDs: bookingIDs, topics: topics, config: config, logger: logger,
        patientLocks: !store.serializesTransactions)
    return Worker(
        handler: handler, store: store, relay: relay, client: client, topics: topics, options: options, logger: logger)
}

extension TransportHandler {
    /// Every topic the worker reads or writes, with the contract's suggested partition counts
    /// (``TransitTopics/contract(partners:)``), or `partitions` for all; for `KafkaAdmin.createTopics` at start.
    public func topicSpecifications(partitions: Int? = nil) -> [KafkaTopicSpecification] {
        let perPatient = [
            topics.travelRequests, topics.trialAccessEvents, topics.bookingEvents, topics.enrollmentFeedback,
            topics.rpcRequests(service: TransportBookingService.name),
        ]
        let perPartner = partners.partners.flatMap {
            [topics.partnerRequests($0.id), topics.partnerUpdates($0.id), topics.partnerFeedback($0.id)]
        }
        return topics.specifications(of: perPatient + perPartner + [topics.deadLetters, topics.audit], partitions: partitions)
    }
}
