import Dispatch

/// A value that only one serial dispatch queue ever touches: the stores keep each database
/// connection in one, so blocking database calls run on that queue's thread, never on Swift's
/// cooperative pool.
final class ThreadConfined<Value>: @unchecked Sendable {
    // @unchecked Sendable: `value` is read and written only inside jobs running on `queue`, which
    // is serial, so no two threads ever access it at the same time.
    private let queue: DispatchQueue
    private var value: Value

    init(label: String, value: Value) {
        self.queue = DispatchQueue(label: label, qos: .userInitiated)
        self.value = value
    }

    /// Runs `job` on the queue with the value and returns its result to the caller.
    func run<R: Sendable>(_ job: @escaping @Sendable (inout Value) throws -> R) async throws -> R {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try job(&self.value) })
            }
        }
    }
}
