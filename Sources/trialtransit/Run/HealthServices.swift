import Logging
import ServiceLifecycle
import TransitKafka
import TransitRPC
import TransitWire

/// The Health side of a worker process: a Health server (outside any consumer group, so every
/// process answers for itself) and a readiness service that reports SERVING for `services` once
/// `ready` returns, and NOT_SERVING on shutdown.
enum HealthServices {
    /// Every service name of the contract (a process stays silent for the ones another worker serves).
    static let knownServices: Set<String> = [TrialAccessService.name, TransportBookingService.name, HealthService.name]

    /// The services to run after the workers, in shutdown order: readiness stops first (NOT_SERVING),
    /// then the Health server.
    static func make(
        serving services: Set<String>, name: String, client: KafkaClientConfiguration, topics: TransitTopics,
        replyTopics: ReplyTopicRule, logger: Logger, ready: @escaping @Sendable () async -> Void
    ) throws -> [any Service] {
        let health = HealthStatus(services: services)
        var router = RPCRouter<Void>()
        router.registerHealth(health, knownServices: knownServices)
        let server = try RPCServer(
            router: router, client: client, groupID: nil, topics: topics, replyTopics: replyTopics, logger: logger)
        let readiness = ClosureService(name: "\(name)-readiness") {
            // Not a child task: a worker that never subscribes must not hold up the shutdown.
            let serving = Task {
                await ready()
                if !Task.isCancelled { health.set(.serving) }
            }
            defer {
                serving.cancel()
                health.set(.notServing)
            }
            while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
        }
        return [ClosureService(name: "\(name)-health-server") { try await server.run() }, readiness]
    }
}
