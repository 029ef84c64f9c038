import Hummingbird
import Logging
import ServiceLifecycle
import TransitKafka
import TransitStore
import TransitTime

/// The gateway's two halves as ServiceLifecycle services: the outbound forwarders (one per webhook
/// partner, in one service) and the partner-facing HTTP endpoint.
public struct PartnerGatewayServices: Sendable {
    /// One per webhook partner; their state is what the gateway's readiness reports.
    public let forwarders: [PartnerOutbound]
    /// The services to run: the forwarders, then the endpoint.
    public let services: [any Service]

    /// The services for `partners`. `producer` publishes updates and dead letters; `store` holds
    /// the delivery log. The endpoint listens on `host:port` (plain HTTP: put TLS in front).
    public init(
        partners: [WebhookPartner], options: GatewayOptions, client: KafkaClientConfiguration, producer: KafkaProducer,
        store: any TransitStore, poster: WebhookPoster, host: String, port: Int, clock: any WallClock = .system, logger: Logger
    ) {
        let log = DeliveryLog(store: store)
        forwarders = partners.map {
            PartnerOutbound(
                partner: $0, options: options, client: client, producer: producer, poster: poster, log: log, clock: clock,
                logger: logger)
        }
        let inbound = InboundUpdates(partners: partners, options: options, producer: producer, clock: clock, logger: logger)
        let application = Application(
            router: inbound.router(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            logger: logger)
        services = [OutboundService(forwarders: forwarders), application]
    }
}

/// Runs every partner's forwarder until graceful shutdown cancels them.
struct OutboundService: Service {
    let forwarders: [PartnerOutbound]

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for forwarder in forwarders { group.addTask { try await forwarder.run() } }
                try await group.waitForAll()
            }
        }
    }
}
