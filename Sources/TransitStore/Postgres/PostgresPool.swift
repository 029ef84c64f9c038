import Synchronization
import TransitBlocking

/// A fixed set of sessions, each on its own serial queue; a job borrows an idle one, waiting in
/// FIFO order when all are busy.
final class PostgresPool: Sendable {
    private struct State {
        var idle: [Int]
        var waiters: [CheckedContinuation<Int, any Error>] = []
        var closed = false
    }

    private let sessions: [ThreadConfined<PostgresSession>]
    private let state: Mutex<State>

    init(sessions: [PostgresSession]) {
        self.sessions = sessions.enumerated().map { index, session in
            ThreadConfined(label: "trialtransit.store.postgres.\(index)", value: session)
        }
        self.state = Mutex(State(idle: Array(sessions.indices.reversed())))
    }

    /// Runs `job` on a borrowed session's thread.
    func withSession<R: Sendable>(_ job: @escaping @Sendable (PostgresSession) throws -> R) async throws -> R {
        let index = try await acquire()
        defer { release(index) }
        return try await sessions[index].run { session in try job(session) }
    }

    /// Refuses new jobs, then closes every connection once its current job is done.
    func close() async throws {
        let waiters = state.withLock { state in
            state.closed = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(throwing: Self.closedError) }
        for session in sessions {
            try await session.run { session in session.close() }
        }
    }

    private static let closedError = StoreError(code: .closed, message: "the PostgreSQL store is closed")

    private func acquire() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let immediate: Result<Int, StoreError>? = state.withLock { state in
                if state.closed { return .failure(Self.closedError) }
                if let index = state.idle.popLast() { return .success(index) }
                state.waiters.append(continuation)
                return nil
            }
            if let immediate { continuation.resume(with: immediate) }
        }
    }

    private func release(_ index: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Int, any Error>? in
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.idle.append(index)
            return nil
        }
        waiter?.resume(returning: index)
    }
}
