import Metrics

/// The gateway's counters (Prometheus names; labels are partner ids and fixed codes, never personal data).
enum GatewayMetrics {
    /// Commands settled: `outcome` is `delivered` or `dead_lettered`.
    static func settled(partner: String, outcome: String) {
        Counter(label: "trialtransit_partner_gateway_deliveries_total", dimensions: [("partner", partner), ("outcome", outcome)])
            .increment()
    }

    /// POSTs that failed and will be retried.
    static func retried(partner: String) {
        Counter(label: "trialtransit_partner_gateway_delivery_retries_total", dimensions: [("partner", partner)]).increment()
    }

    /// Updates posted by partners: `code` is `ACCEPTED` or the refusal code.
    static func update(partner: String, code: String) {
        Counter(label: "trialtransit_partner_gateway_updates_total", dimensions: [("partner", partner), ("code", code)])
            .increment()
    }
}
