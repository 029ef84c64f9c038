import Synchronization

/// Publishes the outbox behind the worker loop: the loop asks for a flush after each committed
/// batch and goes on reading and storing the next batches while the relay waits for the broker's
/// acknowledgements. The outbox is durable, so nothing depends on a flush having finished except
/// backpressure: ``waitForBacklog(atMost:)`` holds the loop while more than a few committed
/// batches are not yet published.
///
/// One flush runs at a time and takes everything pending, so a slow broker makes flushes larger,
/// not more numerous. A flush that fails with a non-transient error (the relay retries transient
/// ones itself) is rethrown by the next call.
final class OutboxPump: Sendable {
    private struct Waiter {
        var limit: Int
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        /// Flushes asked for so far.
        var requested = 0
        /// Requests covered by a finished flush.
        var covered = 0
        var running: Task<Void, Never>?
        var failure: (any Error)?
        var waiters: [Waiter] = []

        var backlog: Int { requested - covered }
    }

    private let relay: OutboxRelay
    private let state = Mutex(State())

    init(relay: OutboxRelay) {
        self.relay = relay
    }

    /// Asks for everything committed so far to be published; returns at once.
    func request() throws {
        try state.withLock { state in
            if let failure = state.failure { throw failure }
            state.requested += 1
            if state.running == nil {
                state.running = Task { await self.pump() }
            }
        }
    }

    /// Returns once at most `limit` requests are not yet covered by a finished flush; with 0,
    /// once everything asked for is published. Cancelling the caller cancels the flush.
    func waitForBacklog(atMost limit: Int) async throws {
        let running = state.withLock { $0.running }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let result: Result<Void, any Error>? = state.withLock { state in
                    if let failure = state.failure { return .failure(failure) }
                    if state.backlog <= limit { return .success(()) }
                    state.waiters.append(Waiter(limit: limit, continuation: continuation))
                    return nil
                }
                if let result { continuation.resume(with: result) }
            }
        } onCancel: {
            running?.cancel()
        }
    }

    private func pump() async {
        while true {
            let target = state.withLock { $0.requested }
            do {
                try await relay.flush()
            } catch {
                let waiters = state.withLock { state in
                    state.failure = error
                    state.running = nil
                    defer { state.waiters = [] }
                    return state.waiters
                }
                for waiter in waiters { waiter.continuation.resume(throwing: error) }
                return
            }
            let (ready, finished) = state.withLock { state -> ([Waiter], Bool) in
                state.covered = target
                let backlog = state.backlog
                let ready = state.waiters.filter { backlog <= $0.limit }
                state.waiters.removeAll { backlog <= $0.limit }
                let finished = state.requested == target
                if finished { state.running = nil }
                return (ready, finished)
            }
            for waiter in ready { waiter.continuation.resume() }
            if finished { return }
        }
    }
}
