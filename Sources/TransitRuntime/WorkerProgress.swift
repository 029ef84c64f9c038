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

    public init() {}

    /// True when the loop went round (or was waiting on the broker, or has stopped) within `interval`.
    public func isLive(within interval: Duration, now: ContinuousClock.Instant = .now) -> Bool {
        state.withLock { $0.waitingOnBroker > 0 || $0.stopped || now - $0.lastBeat <= interval }
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
