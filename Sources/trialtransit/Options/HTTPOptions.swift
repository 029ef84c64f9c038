import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TransitHTTP

/// `--http-port`: where a worker process serves `/healthz`, `/readyz` and `/metrics`.
struct HTTPOptions: ParsableArguments {
    @Option(
        name: .customLong("http-port"),
        help: ArgumentHelp(
            "Port of /healthz, /readyz and /metrics; 0 turns HTTP off. Default: $TRIALTRANSIT_HTTP_PORT, else \(ProbeServer.defaultPort) (partner-sim: 0).",
            valueName: "port"))
    var httpPort: Int?

    func validate() throws {
        if let httpPort, !(0...65_535).contains(httpPort) { throw ValidationError("--http-port must be between 0 and 65535") }
    }

    /// The effective port: the option (or `$TRIALTRANSIT_HTTP_PORT`), else `defaultPort` (the
    /// workers' 8080; 0 for tools such as partner-sim that run beside a worker); 0 means off.
    func port(default defaultPort: Int = ProbeServer.defaultPort) throws -> Int {
        httpPort ?? defaultPort
    }

    /// Installs the metrics backend unless HTTP is off: call it first, before any worker exists
    /// (metrics created before the bootstrap would stay unrecorded).
    func bootstrapMetrics(default defaultPort: Int = ProbeServer.defaultPort) throws {
        if try port(default: defaultPort) != 0 { MetricsBackend.bootstrap() }
    }

    /// The HTTP service for `probes` (none when the port is 0), to run first in the ServiceGroup
    /// (so it stops last and answers 503 while the workers shut down).
    func services(probes: ProcessProbes, default defaultPort: Int = ProbeServer.defaultPort, logger: Logger) throws
        -> [any Service]
    {
        let port = try port(default: defaultPort)
        guard port != 0 else { return [] }
        MetricsBackend.bootstrap()
        return [ProbeServer.service(port: port, probes: probes, metrics: MetricsBackend.render, logger: logger)]
    }

    /// One line for the start-up banner.
    func banner(default defaultPort: Int = ProbeServer.defaultPort) -> String {
        let port = (try? port(default: defaultPort)) ?? defaultPort
        return port == 0 ? "HTTP off" : "HTTP :\(port) (/healthz /readyz /metrics)"
    }
}
