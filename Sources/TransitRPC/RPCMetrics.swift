import Metrics

/// The server side's RPC figures: `trialtransit_rpc_requests_total{service,method,code}` and
/// `trialtransit_rpc_duration_seconds{service,method}`. Labels are the registered method's names
/// (an unserved method counts as `unknown`, so a caller cannot grow the label set) and the status.
enum RPCMetrics {
    /// Counts one routed request. `method` is the gRPC path when served here, else nil;
    /// `status` is nil when another process answers (`NO_ANSWER`).
    static func served(method: String?, status: RPCStatusCode?, took: Duration) {
        let parts = method?.split(separator: "/", maxSplits: 1).map(String.init) ?? []
        let (service, name) = parts.count == 2 ? (parts[0], parts[1]) : ("unknown", "unknown")
        let code = status?.name ?? "NO_ANSWER"
        Counter(label: "trialtransit_rpc_requests_total", dimensions: [("service", service), ("method", name), ("code", code)])
            .increment()
        Timer(label: "trialtransit_rpc_duration_seconds", dimensions: [("service", service), ("method", name)])
            .recordNanoseconds(took.components.seconds * 1_000_000_000 + took.components.attoseconds / 1_000_000_000)
    }
}
