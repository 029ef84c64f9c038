import Synchronization
import TransitTime

/// A wall clock that moves only when a test says so: time-outs, expiries and retention are tested
/// by advancing it instead of waiting real seconds.
public final class ManualClock: WallClock {
    private let now: Atomic<Int64>

    /// Starts at `start` unix milliseconds (default: 2026-01-01T00:00:00Z).
    public init(start: Int64 = 1_767_225_600_000) {
        now = Atomic(start)
    }

    public func nowMilliseconds() -> Int64 { now.load(ordering: .acquiring) }

    /// Moves the clock forward by `duration`.
    public func advance(by duration: Duration) {
        now.add(duration.milliseconds, ordering: .acquiringAndReleasing)
    }

    /// Sets the clock to `milliseconds`.
    public func set(_ milliseconds: Int64) {
        now.store(milliseconds, ordering: .releasing)
    }
}
