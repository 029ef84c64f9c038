#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock time in unix milliseconds: the one source of "now" for the runtime, the stores'
/// timestamps and timers, RPC deadlines and the domains' time-outs.
///
/// Production code takes a clock (defaulting to ``SystemWallClock``) instead of asking the system,
/// so tests advance time (`ManualClock` in the test kit) instead of waiting real seconds.
public protocol WallClock: Sendable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    func nowMilliseconds() -> Int64
}

/// The operating system's real-time clock.
public struct SystemWallClock: WallClock {
    public init() {}

    public func nowMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}

extension WallClock where Self == SystemWallClock {
    /// The operating system's real-time clock.
    public static var system: SystemWallClock { SystemWallClock() }
}
