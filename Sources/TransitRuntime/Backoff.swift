import TransitTime

/// Exponential backoff with jitter for transient failures (store or broker unavailable).
public struct Backoff: Sendable {
    /// First delay. Default: 100 ms.
    public var initial: Duration
    /// Largest delay. Default: 10 s.
    public var maximum: Duration
    /// Growth per attempt. Default: 2.
    public var multiplier: Double
    /// Random spread, as a fraction of the delay (0.2 = ±20 %). Default: 0.2.
    public var jitter: Double

    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(10), multiplier: Double = 2, jitter: Double = 0.2) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
        self.jitter = jitter
    }

    /// The delay before retry number `attempt` (1-based).
    public func delay(attempt: Int) -> Duration {
        let base = initial * Self.power(multiplier, attempt - 1)
        let capped = min(base, maximum)
        let spread = Double.random(in: (1 - jitter)...(1 + jitter))
        return capped * spread
    }

    private static func power(_ base: Double, _ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<max(0, min(exponent, 60)) { result *= base }
        return result
    }
}
