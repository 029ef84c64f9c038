import Metrics
import Prometheus

/// The process's metrics backend: swift-prometheus, bootstrapped once (swift-metrics allows one
/// bootstrap per process); `/metrics` renders its registry.
enum MetricsBackend {
    private static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped: Void = {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        MetricsSystem.bootstrap(factory)
    }()

    /// Installs the backend (once; later calls do nothing).
    static func bootstrap() {
        _ = bootstrapped
    }

    /// The Prometheus text exposition of every metric so far.
    @Sendable static func render() -> String {
        registry.emitToString()
    }
}
