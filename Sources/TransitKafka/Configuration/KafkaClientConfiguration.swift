import TransitTime

/// Settings shared by producers, consumers and admin clients.
///
/// Every field has a documented default. Anything not modelled here can be set through
/// ``rawProperties`` (librdkafka property names); an unknown or invalid property fails when the client
/// is created, with librdkafka's own message.
public struct KafkaClientConfiguration: Sendable {
    /// `host:port` pairs of the brokers to bootstrap from. Default: `127.0.0.1:9092`.
    public var bootstrapServers: [String]
    /// Name sent to brokers, shown in their logs and quotas. Default: `trialtransit`.
    public var clientID: String
    /// How to talk to brokers: plaintext, TLS and/or SASL. Default: plaintext.
    public var security: KafkaSecurity
    /// Timeout for network requests to brokers. Default: 30 seconds.
    public var socketTimeout: Duration
    /// How long metadata and admin requests may take before failing. Default: 10 seconds.
    public var requestTimeout: Duration
    /// Largest fetch response accepted. Default: 100 MB (librdkafka's own default).
    ///
    /// The local development broker answers a fetch with everything it has, ignoring fetch size
    /// limits; use ``localBroker(_:)`` (which raises this to the maximum) against it.
    public var receiveMessageMaxBytes: Int
    /// librdkafka `debug` contexts (e.g. `["broker", "topic"]`). Default: none.
    public var debugContexts: [String]
    /// How often librdkafka reports statistics, which feed the consumer-lag, broker round-trip and
    /// producer-queue gauges (``KafkaStatistics``); nil turns them off. Admin clients never report.
    /// Default: nil.
    public var statisticsInterval: Duration?
    /// Raw librdkafka properties, applied last so they override the typed fields. Default: empty.
    public var rawProperties: [String: String]

    public init(
        bootstrapServers: [String] = ["127.0.0.1:9092"],
        clientID: String = "trialtransit",
        security: KafkaSecurity = .plaintext,
        socketTimeout: Duration = .seconds(30),
        requestTimeout: Duration = .seconds(10),
        receiveMessageMaxBytes: Int = 100_000_000,
        debugContexts: [String] = [],
        statisticsInterval: Duration? = nil,
        rawProperties: [String: String] = [:]
    ) {
        self.statisticsInterval = statisticsInterval
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.security = security
        self.socketTimeout = socketTimeout
        self.requestTimeout = requestTimeout
        self.receiveMessageMaxBytes = receiveMessageMaxBytes
        self.debugContexts = debugContexts
        self.rawProperties = rawProperties
    }

    /// A configuration for the local development broker at `bootstrapServers`: plaintext, and fetch
    /// responses of any size accepted (the local broker ignores fetch size limits).
    public static func localBroker(_ bootstrapServers: [String]) -> KafkaClientConfiguration {
        KafkaClientConfiguration(bootstrapServers: bootstrapServers, receiveMessageMaxBytes: 2_147_483_647)
    }

    var properties: [String: String] {
        var properties: [String: String] = [
            "bootstrap.servers": bootstrapServers.joined(separator: ","),
            "client.id": clientID,
            "socket.timeout.ms": String(socketTimeout.milliseconds),
            "receive.message.max.bytes": String(receiveMessageMaxBytes),
        ]
        if !debugContexts.isEmpty { properties["debug"] = debugContexts.joined(separator: ",") }
        if let statisticsInterval { properties["statistics.interval.ms"] = String(max(1, statisticsInterval.milliseconds)) }
        properties.merge(security.properties) { _, new in new }
        return properties
    }
}
