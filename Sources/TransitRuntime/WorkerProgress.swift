import Synchronization

/// What a worker's liveness and readiness probes read: when its loop last made progress, whether it
/// is waiting on the broker, whether it joined its group and flushed the outbox at start.
/// The worker updates it; probes only read.
public final class WorkerProgress: Sendable {
    private struct State {
        var lastBeat = ContinuousClock.now
        var waitingOnBroker = 0
        var joinedGroup = false
        var startupFlushDone = false
        var stopped = false
        /// When the store calls the loop retries started failing without a success since.
        var storeFailingSince: ContinuousClock.Instant?
        var storeError = ""
    }
    private let state = Mutex(State())
    private let storeRetryBudget: Duration

    /// `storeRetryBudget`: how long the loop's store calls may keep failing transiently (retried
    /// with backoff) before the worker reports not ready (``storeTrouble(now:)``).
    public init(storeRetryBudget: Duration = .seconds(30)) {
        self.storeRetryBudget = storeRetryBudget
    }

    /// Nil while the store calls of the loop succeed, or have failed for less than the retry
    /// budget; else why the worker is not ready: for how long they have failed, and the last error
    /// (store errors carry no stored values). The loop goes on retrying with backoff and clears
    /// this at its first success.
    public func storeTrouble(now: ContinuousClock.Instant = .now) -> String? {
        state.withLock { state in
            guard let since = state.storeFailingSince, now - since >= storeRetryBudget else { return nil }
            return "store calls failing for \((now - since).components.seconds) s (retry budget "
                + "\(storeRetryBudget.components.seconds) s), retrying with backoff: \(state.storeError)"
        }
    }

    /// True when the loop went round within `interval`, or is waiting on the broker, or is retrying
    /// a failing store with backoff (readiness reports that: a restart would not bring the store
    /// back), or has stopped.
    public func isLive(within interval: Duration, now: ContinuousClock.Instant = .now) -> Bool {
        state.withLock { state in
            state.waitingOnBroker > 0 || state.storeFailingSince != nil || state.stopped
                || now - state.lastBeat <= interval
        }
    }

    /// Seconds since the loop last went round.
    public func secondsSinceProgress(now: ContinuousClock.Instant = .now) -> Double {
        let elapsed = now - state.withLock { $0.lastBeat }
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// True once the group gave this worker its first assignment (empty when it has more members than partitions).
    public var joinedGroup: Bool { state.withLock { $0.joinedGroup } }

    /// True once the outbox left by earlier runs was published at start.
    public var startupFlushDone: Bool { state.withLock { $0.startupFlushDone } }

    func beat() {
        state.withLock { $0.lastBeat = .now }
    }

    func markJoinedGroup() {
        state.withLock { $0.joinedGroup = true }
    }

    func markStartupFlushDone() {
        state.withLock {
            $0.startupFlushDone = true
            $0.lastBeat = .now
        }
    }

    func markStopped() {
        state.withLock { $0.stopped = true }
    }

    /// A store call of the loop failed transiently (it is retried).
    func storeFailed(_ error: any Error) {
        state.withLock { state in
            if state.storeFailingSince == nil { state.storeFailingSince = .now }
            state.storeError = "\(error)"
        }
    }

    /// A store call of the loop succeeded.
    func storeSucceeded() {
        state.withLock { $0.storeFailingSince = nil }
    }

    /// Runs `body`, counting as live meanwhile: it waits on the broker (publishing the outbox).
    @discardableResult
    func waitingOnBroker<R>(_ body: () async throws -> R) async throws -> R {
        state.withLock { $0.waitingOnBroker += 1 }
        defer {
            state.withLock {
                $0.waitingOnBroker -= 1
                $0.lastBeat = .now
            }
        }
        return try await body()
    }
}
