import Hummingbird
import Logging
import ServiceLifecycle

/// The HTTP side of a worker process: `GET /healthz` (liveness), `GET /readyz` (readiness) and
/// `GET /metrics` (Prometheus text), served by a Hummingbird application that runs as one
/// `Service` of the process's ServiceGroup.
public enum ProbeServer {
    /// The port a worker process listens on unless `--http-port` or `TRIALTRANSIT_HTTP_PORT` says otherwise.
    public static let defaultPort = 8080

    /// The service serving `probes` and `metrics` on `host:port` (all interfaces by default, for
    /// the orchestrator's probes and the scraper). `metrics` renders the exposition text.
    public static func service(
        port: Int, host: String = "0.0.0.0", probes: ProcessProbes, metrics: @escaping @Sendable () -> String,
        logger: Logger
    ) -> any Service {
        Application(
            router: router(probes: probes, metrics: metrics),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            logger: logger)
    }

    /// The routes, on their own for tests.
    public static func router(probes: ProcessProbes, metrics: @escaping @Sendable () -> String) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ in
            answer(await ProbeReport.evaluate(probes.liveness), passing: "live", failing: "not live")
        }
        router.get("/readyz") { _, _ in
            answer(await ProbeReport.evaluate(probes.readiness), passing: "ready", failing: "not ready")
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics())))
        }
        return router
    }

    private static func answer(_ report: ProbeReport, passing: String, failing: String) -> Response {
        Response(
            status: report.passed ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: report.json(passing: passing, failing: failing))))
    }
}
