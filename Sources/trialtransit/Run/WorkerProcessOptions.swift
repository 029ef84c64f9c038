import ArgumentParser
import Logging
import ServiceLifecycle
import TransitHTTP
import TransitCommandLine
import TransitKafka
import TransitRuntime
import TransitStore

/// The options every worker process takes (`run`, `worker …`): configuration file, logging, broker,
/// store and its retries, topic prefix, inbox retention, group membership, HTTP endpoint and
/// librdkafka statistics.
struct WorkerProcessOptions: ParsableArguments {
    @OptionGroup var configFile: ConfigFileOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var broker: BrokerOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var storeRetry: StoreRetryOptions
    @OptionGroup var topics: TopicOptions
    @OptionGroup var inbox: InboxOptions
    @OptionGroup var membership: MembershipOptions
    @OptionGroup var http: HTTPOptions
    @OptionGroup var statistics: StatisticsOptions

    /// Starts the metrics endpoint's registry, and returns the broker client (`clientID`, statistics
    /// applied) and the opened store.
    func start(clientID: String, logger: Logger) async throws -> (KafkaClientConfiguration, any TransitStore) {
        try http.bootstrapMetrics()
        let client = try statistics.applied(to: try broker.clientConfiguration(clientID: clientID), http: http)
        return (client, try await store.open(logger: logger))
    }

    /// The HTTP endpoint's services, probing `workers` (``WorkerProbes/worker(_:interval:)``), the
    /// store and the broker `relay` publishes to.
    func webServices(
        probing workers: ProcessProbes, store: any TransitStore, relay: OutboxRelay, logger: Logger
    ) throws -> [any Service] {
        var probes = workers
        probes.append(WorkerProbes.store(store))
        probes.append(WorkerProbes.broker(relay, topic: topics.topics.deadLetters))
        return try http.services(probes: probes, logger: logger)
    }

    /// `options` with the store retries, the inbox retention and the group membership given here.
    func applied(to options: WorkerOptions) -> WorkerOptions {
        var options = membership.applied(to: options)
        options.inboxRetention = inbox.retention
        return storeRetry.applied(to: options)
    }
}
