import Logging
import ServiceLifecycle
import UnixSignals

#if canImport(Glibc)
import Glibc
#endif

/// Runs services in a ServiceGroup: SIGTERM or SIGINT starts a graceful shutdown (workers finish the
/// batch in hand, flush the outbox, commit and leave their groups), cancelled after
/// ``gracefulShutdownLimit``; a second signal exits at once.
enum ServiceRunner {
    /// How long a graceful shutdown may take before the services are cancelled.
    static let gracefulShutdownLimit = Duration.seconds(20)

    static func run(_ services: [any Service], logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        // A graceful shutdown that cannot finish (a store down while the outbox is flushed) is
        // cancelled after `gracefulShutdownLimit`; nothing is lost (offsets of uncommitted work are
        // not committed, pending outbox rows go out at the next start). Within Kubernetes' default
        // 30 s grace period.
        configuration.maximumGracefulShutdownDuration = gracefulShutdownLimit
        configuration.maximumCancellationDuration = .seconds(5)
        let group = ServiceGroup(configuration: configuration)
        let secondSignal = Task {
            var seen = 0
            for await signal in await UnixSignalsSequence(trapping: .sigterm, .sigint) {
                seen += 1
                if seen == 1 {
                    logger.info("\(signal) received: shutting down gracefully (a second signal exits at once)")
                }
                if seen >= 2 {
                    logger.warning("second \(signal) signal: exiting at once")
                    exit(130)
                }
            }
        }
        defer { secondSignal.cancel() }
        try await group.run()
    }
}

/// A service made of a closure that runs until cancelled (cancelled on graceful shutdown).
struct ClosureService: Service {
    let name: String
    let body: @Sendable () async throws -> Void

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            do {
                try await body()
            } catch is CancellationError {}
        }
    }
}
