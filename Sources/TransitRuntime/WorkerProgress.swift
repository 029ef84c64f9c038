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
    }
    private let state = Mutex(State())
    private let storeRetryBudget: Duration
    /// The store calls of the worker's loop.
    let store = StoreHealth()
    /// The store calls of the outbox relay the worker waits on (the relay's own).
    private let relayStore: StoreHealth?

    /// `storeRetryBudget`: how long the store calls of the loop, or of the outbox relay it
    /// publishes through (`relayStore`), may keep failing transiently (retried with backoff) before
    /// the worker reports not ready (``storeTrouble(now:)``).
    public init(storeRetryBudget: Duration = .seconds(30), relayStore: StoreHealth? = nil) {
        self.storeRetryBudget = storeRetryBudget
        self.relayStore = relayStore
    }

    /// The longest-failing of the loop's and the relay's store calls, if any.
    private var storeFailing: (since: ContinuousClock.Instant, error: String)? {
        [store.failing, relayStore?.failing].compactMap { $0 }.min { $0.since < $1.since }
    }

    /// Nil while the store calls of the loop and of its relay succeed, or have failed for less than
    /// the retry budget; else why the worker is not ready: for how long they have failed, and the
    /// last error (store errors carry no stored values). The calls go on being retried with backoff
    /// and this clears at their first success.
    public func storeTrouble(now: ContinuousClock.Instant = .now) -> String? {
        guard let failing = storeFailing, now - failing.since >= storeRetryBudget else { return nil }
        return "store calls failing for \((now - failing.since).components.seconds) s (retry budget "
            + "\(storeRetryBudget.components.seconds) s), retrying with backoff: \(failing.error)"
    }

    /// True when the loop went round within `interval`, or is waiting on the broker, or is retrying
    /// a failing store with backoff (readiness reports that: a restart would not bring the store
    /// back), or has stopped.
    public func isLive(within interval: Duration, now: ContinuousClock.Instant = .now) -> Bool {
        let retryingStore = storeFailing != nil
        return state.withLock { state in
            state.waitingOnBroker > 0 || retryingStore || state.stopped || now - state.lastBeat <= interval
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
