import PartnerGateway
import TransitHTTP
import TransitKafka
import TransitRuntime
import TransitStore

/// The probe checks of a worker process's parts.
enum WorkerProbes {
    /// A worker: its loop went round (or waited on the broker, or is retrying a failing store)
    /// within `interval`; it subscribed and
    /// joined its group (partitions assigned, or none because the group has more members than
    /// partitions); the outbox left by earlier runs was flushed at start; its store calls have not
    /// kept failing for longer than the retry budget.
    static func worker<Handler>(_ worker: Worker<Handler>, interval: Duration = .seconds(60)) -> ProcessProbes {
        let name = worker.handler.name
        let progress = worker.progress
        return ProcessProbes(
            liveness: [
                ProbeCheck("\(name).loop") {
                    progress.isLive(within: interval)
                        ? nil : "no progress for \(Int(progress.secondsSinceProgress())) s (limit \(interval.components.seconds) s)"
                }
            ],
            readiness: [
                .condition("\(name).group", "not yet joined its consumer group (no assignment)") { progress.joinedGroup },
                .condition("\(name).outbox", "start-up outbox flush not done") { progress.startupFlushDone },
                ProbeCheck("\(name).store") { progress.storeTrouble() },
            ])
    }

    /// The broker answers a metadata request for `topic` within `timeout` (through the relay's
    /// producer: the connection the outbox is published on).
    static func broker(_ relay: OutboxRelay, topic: String, timeout: Duration = .seconds(3)) -> ProcessProbes {
        broker(timeout: timeout) { _ = try await relay.prepare(topics: [topic], timeout: .zero) }
    }

    /// The broker answers a metadata request for `topic` within `timeout`, through `producer`.
    static func broker(_ producer: KafkaProducer, topic: String, timeout: Duration = .seconds(3)) -> ProcessProbes {
        broker(timeout: timeout) { _ = try await producer.prepare(topics: [topic], timeout: .zero) }
    }

    private static func broker(timeout: Duration, ask: @escaping @Sendable () async throws -> Void) -> ProcessProbes {
        ProcessProbes(readiness: [ProbeCheck("broker") { await answersWithin(timeout, ask) }])
    }

    /// The partner gateway's forwarders: each joined its partner's consumer group (as a worker's
    /// `group` check).
    static func gateway(_ forwarders: [PartnerOutbound]) -> ProcessProbes {
        ProcessProbes(
            readiness: forwarders.map { forwarder in
                .condition("partner-gateway.\(forwarder.partner.id).group", "not yet joined its consumer group (no assignment)") {
                    forwarder.joinedGroup
                }
            })
    }

    /// The store answers a read within `timeout`.
    static func store(_ store: any TransitStore, timeout: Duration = .seconds(2)) -> ProcessProbes {
        ProcessProbes(readiness: [
            ProbeCheck("store") {
                await answersWithin(timeout) {
                    _ = try await store.pendingOutbox(limit: 1)
                }
            }
        ])
    }

    /// Nil when `body` succeeds within `timeout`, else why not. The body is left running when it
    /// takes longer (a store call cannot be cancelled), so a hung store never holds a probe.
    private static func answersWithin(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> Void) async -> String? {
        let outcome = AsyncStream<String?>.makeStream()
        let work = Task {
            do {
                try await body()
                outcome.continuation.yield(nil)
            } catch {
                outcome.continuation.yield("unreachable: \(type(of: error))")
            }
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            outcome.continuation.yield("no answer within \(timeout)")
        }
        defer {
            timer.cancel()
            _ = work
        }
        for await first in outcome.stream { return first }
        return "no answer"
    }
}
