/// Runs `body`, then `cleanup` whether `body` returned or threw: an async `defer`. When `body`
/// throws, its error is rethrown and an error of `cleanup` is dropped; otherwise `cleanup`'s error
/// is thrown.
public func withCleanup<T>(
    _ body: () async throws -> T, cleanup: () async throws -> Void
) async throws -> T {
    let result: T
    do {
        result = try await body()
    } catch {
        try? await cleanup()
        throw error
    }
    try await cleanup()
    return result
}
