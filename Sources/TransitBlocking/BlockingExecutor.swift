import Dispatch

/// Runs blocking calls (librdkafka's timed polls and flushes, database round trips) on a dedicated
/// serial dispatch queue, so that they never occupy a thread of Swift's cooperative pool.
public final class BlockingExecutor: Sendable {
    private let queue: DispatchQueue

    /// - Parameter label: the queue's name, as debuggers and crash reports show it.
    public init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    /// Runs `work` on the queue, one job at a time, and returns its result to the caller.
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }
}
