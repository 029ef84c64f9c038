import Metrics
import ServiceLifecycle
import TransitStore

/// Samples the store's outbox for the gauges `trialtransit_outbox_backlog` (pending rows, counted up
/// to 10,000) and `trialtransit_outbox_oldest_age_seconds` (how long the oldest pending row has been
/// seen pending, at the sampling interval's resolution). A `Service`: runs until graceful shutdown.
public struct OutboxGauges: Service {
    private let store: any TransitStore
    private let interval: Duration
    private let backlog = Gauge(label: "trialtransit_outbox_backlog")
    private let oldestAge = Gauge(label: "trialtransit_outbox_oldest_age_seconds")

    public init(store: any TransitStore, interval: Duration = .seconds(10)) {
        self.store = store
        self.interval = interval
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var oldest: (id: Int64, since: ContinuousClock.Instant)?
            while !Task.isCancelled {
                if let pending = try? await store.pendingOutbox(after: 0, limit: 10_000, scope: .all) {
                    backlog.record(pending.count)
                    if let first = pending.first {
                        if oldest?.id != first.id { oldest = (first.id, .now) }
                        let age = ContinuousClock.now - oldest!.since
                        oldestAge.record(Double(age.components.seconds) + Double(age.components.attoseconds) / 1e18)
                    } else {
                        oldest = nil
                        oldestAge.record(0)
                    }
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
