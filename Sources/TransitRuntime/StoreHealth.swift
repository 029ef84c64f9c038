import Synchronization

/// Whether the store calls of a loop (a worker's, or an outbox relay's) keep failing: set by
/// ``Retry/transient(_:backoff:logger:health:_:)`` at each transient store failure, cleared at the
/// first success after them. Read by ``WorkerProgress`` for the probes.
public final class StoreHealth: Sendable {
    private struct State {
        var failingSince: ContinuousClock.Instant?
        var lastError = ""
    }
    private let state = Mutex(State())

    public init() {}

    /// A store call failed transiently (it is retried).
    func failed(_ error: any Error, now: ContinuousClock.Instant = .now) {
        state.withLock { state in
            if state.failingSince == nil { state.failingSince = now }
            state.lastError = "\(error)"
        }
    }

    /// A store call succeeded.
    func succeeded() {
        state.withLock { $0.failingSince = nil }
    }

    /// Since when the calls have failed without a success, and the last error; nil while they succeed.
    var failing: (since: ContinuousClock.Instant, error: String)? {
        state.withLock { state in state.failingSince.map { ($0, state.lastError) } }
    }
}
