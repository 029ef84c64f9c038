/// A value that only one ``BlockingExecutor`` ever touches: the stores keep each database
/// connection in one, so its blocking calls run on that executor's thread, one at a time.
public final class ThreadConfined<Value>: @unchecked Sendable {
    // @unchecked Sendable: `value` is read and written only inside jobs of `executor`, which runs
    // them one at a time, so no two threads ever access it at the same time.
    private let executor: BlockingExecutor
    private var value: Value

    public init(label: String, value: Value) {
        self.executor = BlockingExecutor(label: label)
        self.value = value
    }

    /// Runs `job` on the executor with the value and returns its result to the caller.
    public func run<R: Sendable>(_ job: @escaping @Sendable (inout Value) throws -> R) async throws -> R {
        try await executor.run { try job(&self.value) }
    }
}
