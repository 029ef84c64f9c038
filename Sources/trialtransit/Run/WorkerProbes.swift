import TransitHTTP
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
        ProcessProbes(readiness: [
            ProbeCheck("broker") {
                await answersWithin(timeout) {
                    _ = try await relay.prepare(topics: [topic], timeout: .zero)
                }
            }
        ])
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
