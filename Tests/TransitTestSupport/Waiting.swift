/// A wait that ran out of time, with what it saw meanwhile.
public struct WaitTimeout: Error, CustomStringConvertible {
    /// What was awaited.
    public var what: String
    /// How long the wait lasted.
    public var waited: Duration
    /// What the wait saw last (counts, states), to tell a slow run from a wrong one.
    public var saw: String

    public init(what: String, waited: Duration, saw: String) {
        self.what = what
        self.waited = waited
        self.saw = saw
    }

    public var description: String { "timed out after \(waited) waiting for \(what); saw: \(saw)" }
}

/// Polls `condition` until it holds; throws ``WaitTimeout`` (with `saw()`, what the caller can
/// tell about the state) when `timeout` passes first. The time-out is a ceiling for a broken run,
/// not a duration any passing run depends on.
public func waitUntil(
    _ what: String, timeout: Duration = .seconds(90), every interval: Duration = .milliseconds(50),
    saw: () async -> String = { "the condition never held" }, _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let start = clock.now
    while true {
        if try await condition() { return }
        if clock.now - start >= timeout {
            throw WaitTimeout(what: what, waited: clock.now - start, saw: await saw())
        }
        try await Task.sleep(for: interval)
    }
}
