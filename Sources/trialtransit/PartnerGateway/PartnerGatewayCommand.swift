import ArgumentParser
import Foundation
import Logging
import PartnerGateway
import TransitCommandLine
import TransitHTTP
import TransitKafka
import TransitRuntime

/// `trialtransit partner-gateway --partners FILE`: the webhook gateway for partners without Kafka.
struct PartnerGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partner-gateway",
        abstract: "Carry partners without Kafka: commands as signed webhook POSTs, their updates through a signed REST endpoint.",
        discussion: """
            For every partner-file entry with a "webhook" section (url, key_id, secret_file), reads \
            transport.partner.<id>.requests.v1 and .feedback.v1 (updates the transport worker rejected) and POSTs \
            each command or feedback record (proto3 JSON) to the url, signed with \
            HMAC-SHA-256 over "<timestamp>.<body>" (headers X-TrialTransit-Key-Id, -Timestamp, -Signature, \
            -Delivery-Id). The url must be https:// (the system's CAs are trusted, and those of --webhook-ca-file); \
            plain http:// to a loopback host only with --allow-plain-http-webhooks. Failures (a certificate the \
            gateway does not trust among them) are retried with exponential backoff under one delivery id; after the budget, or \
            at once on a 4xx refusal, the command is dead-lettered. An offset is committed only once its command is \
            delivered or dead-lettered; the outcome goes to the delivery log in --store. Partners POST their updates \
            to /v1/partners/<id>/updates on --listen-port, signed the same way; valid ones are published to \
            transport.partner.<id>.updates.v1. See docs/PARTNERS.md §6 and docs/partner-gateway.openapi.yaml.

            Examples:
              trialtransit partner-gateway --partners partners.json --store sqlite:partner-gateway.sqlite --listen-port 8443
              trialtransit partner-gateway --partners partners.json --retry-budget 120 --max-attempts 12
              trialtransit partner-gateway --partners partners.json --webhook-ca-file /etc/trialtransit/partner-ca.pem
              TRIALTRANSIT_WEBHOOK_PROXY=http://egress.internal:3128 trialtransit partner-gateway --partners partners.json
            """
    )

    @OptionGroup var configFile: ConfigFileOptions
    @OptionGroup var logging: LoggingOptions
    @OptionGroup var broker: BrokerOptions
    @OptionGroup var topics: TopicOptions
    @OptionGroup var http: HTTPOptions
    @OptionGroup var store: StoreOptions

    @Option(help: "Partner file (docs/TRANSPORT.md §8); its entries with a \"webhook\" section are served.")
    var partners: String

    @Option(help: "Address the partner endpoint listens on (plain HTTP: terminate TLS in front).")
    var listenHost = "0.0.0.0"

    @Option(help: "Port of the partner endpoint (POST /v1/partners/<id>/updates).")
    var listenPort = 8090

    @Option(help: "First retry delay of a failed delivery, milliseconds (doubles per attempt, ±20 % jitter).")
    var retryInitialMs = 1_000

    @Option(help: "Longest retry delay, milliseconds.")
    var retryMaxMs = 60_000

    @Option(help: "Attempts of one command before it is dead-lettered.")
    var maxAttempts = 30

    @Option(help: "Seconds from a command's first attempt after which no retry starts (then it is dead-lettered).")
    var retryBudget = 900

    @Option(help: "Seconds one POST may take before it counts as failed.")
    var requestTimeout = 10

    @Option(help: "Seconds a signed request's timestamp may be from the gateway's clock, either way.")
    var replayWindow = 300

    @Option(
        help: ArgumentHelp(
            "PEM file of CA certificates trusted for the webhooks' HTTPS besides the system's (a partner with a private CA). Default: $TRIALTRANSIT_WEBHOOK_CA_FILE.",
            valueName: "file"))
    var webhookCaFile: String?

    @Option(
        help: ArgumentHelp(
            "Egress proxy for the webhook POSTs, http://[user:password@]host:port: each is tunnelled with CONNECT (TLS "
                + "still end to end with the partner); none goes out directly then. Default: $TRIALTRANSIT_WEBHOOK_PROXY "
                + "(prefer it for credentials: arguments show in ps).",
            valueName: "url"))
    var webhookProxy: String?

    @Option(
        help: ArgumentHelp(
            "Days the delivery log keeps an entry after its last write (0: forever). Must exceed the partner topics' "
                + "retention, or a command read again after its entry went is sent again.",
            valueName: "days"))
    var deliveryLogRetentionDays = 30

    @Flag(help: "Allow plain http:// webhook urls to a loopback host (tests, a local TLS-originating proxy); otherwise only https://.")
    var allowPlainHttpWebhooks = false

    func validate() throws {
        guard (0...65_535).contains(listenPort) else { throw ValidationError("--listen-port must be between 0 and 65535") }
        guard retryInitialMs > 0, retryMaxMs >= retryInitialMs else {
            throw ValidationError("--retry-initial-ms must be positive and at most --retry-max-ms")
        }
        guard maxAttempts >= 1, retryBudget >= 0, requestTimeout >= 1, replayWindow >= 1 else {
            throw ValidationError("--max-attempts, --request-timeout and --replay-window must be at least 1, --retry-budget not negative")
        }
        guard deliveryLogRetentionDays >= 0 else {
            throw ValidationError("--delivery-log-retention-days must be 0 (forever) or more")
        }
        _ = try proxy()
    }

    /// The `--webhook-proxy` setting, parsed; nil when none is given.
    private func proxy() throws -> WebhookProxy? {
        guard let webhookProxy, !webhookProxy.isEmpty else { return nil }
        do { return try WebhookProxy(webhookProxy) } catch { throw ValidationError("--webhook-proxy: \(error.description)") }
    }

    func run() async throws {
        let logger = CLILogging.logger(label: "trialtransit.partner-gateway")
        try http.bootstrapMetrics(default: 0)
        let webhookPartners: [WebhookPartner]
        do {
            webhookPartners = try WebhookPartnerFile.load(contentsOf: URL(fileURLWithPath: partners), allowPlainHTTP: allowPlainHttpWebhooks)
        } catch {
            throw ValidationError(error.description)
        }
        guard !webhookPartners.isEmpty else {
            throw ValidationError("\(partners) has no partner with a \"webhook\" section: nothing to serve")
        }
        let options = GatewayOptions(
            topics: topics.topics,
            retry: DeliveryRetryPolicy(
                backoff: Backoff(initial: .milliseconds(retryInitialMs), maximum: .milliseconds(retryMaxMs)), maxAttempts: maxAttempts,
                budget: .seconds(retryBudget)),
            replayWindow: .seconds(replayWindow),
            deliveryLogRetention: deliveryLogRetentionDays == 0 ? nil : .seconds(deliveryLogRetentionDays * 86_400))
        let client = try broker.clientConfiguration(clientID: "trialtransit-partner-gateway")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client, linger: .zero), logger: logger)
        let updatesTopics = webhookPartners.map { options.topics.partnerUpdates($0.id) }
        if (try? await producer.prepare(topics: updatesTopics + [options.topics.deadLetters])) == nil {
            logger.warning("the broker did not answer at start; publishing waits for it")
        }
        let proxy = try proxy()
        let deliveryStore = try await store.open(logger: logger)
        PartnerSimCommand.printLine(
            "partner-gateway: \(webhookPartners.count) webhook partner(s) (\(webhookPartners.map(\.id).joined(separator: ", "))), "
                + "brokers \(client.bootstrapServers.joined(separator: ",")), topic prefix '\(options.topics.prefix)', "
                + "delivery log \(store.redacted), partner endpoint \(listenHost):\(listenPort), "
                + "webhooks \(proxy.map { "through proxy \($0)" } ?? "direct"), \(http.banner(default: 0))")
        let poster: WebhookPoster
        do { poster = try WebhookPoster(timeout: .seconds(requestTimeout), trustedCAFile: webhookCaFile, proxy: proxy) } catch {
            throw ValidationError("--webhook-ca-file: \(error.description)")
        }
        let gateway = PartnerGatewayServices(
            partners: webhookPartners, options: options, client: client, producer: producer, store: deliveryStore,
            poster: poster, host: listenHost, port: listenPort, logger: logger)
        // Ready once every partner's forwarder joined its group, with the broker and the delivery log answering.
        var probes = WorkerProbes.gateway(gateway.forwarders)
        probes.append(WorkerProbes.store(deliveryStore))
        probes.append(WorkerProbes.broker(producer, topic: options.topics.deadLetters))
        let web = try http.services(probes: probes, default: 0, logger: logger)
        do { try await ServiceRunner.run(web + gateway.services, logger: logger) } catch {
            await poster.shutdown()
            throw error
        }
        await poster.shutdown()
        try? await producer.close()
        try? await deliveryStore.close()
    }
}
