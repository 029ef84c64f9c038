import TransitRuntime
import TransitTime

/// How long a command is retried before it is dead-lettered: exponential backoff between
/// attempts, at most ``maxAttempts`` attempts and at most ``budget`` from the first one.
public struct DeliveryRetryPolicy: Sendable {
    /// Delays between attempts. Default: 1 s doubling up to 60 s, ±20 % jitter.
    public var backoff: Backoff
    /// Attempts before giving up. Default: 30.
    public var maxAttempts: Int
    /// Time from the first attempt after which no retry is started. Default: 15 minutes.
    public var budget: Duration

    public init(
        backoff: Backoff = Backoff(initial: .seconds(1), maximum: .seconds(60)), maxAttempts: Int = 30,
        budget: Duration = .seconds(15 * 60)
    ) {
        self.backoff = backoff
        self.maxAttempts = maxAttempts
        self.budget = budget
    }

    /// What to do after attempt number `attempts` failed.
    public enum Decision: Sendable, Equatable {
        /// Wait this long, then try again.
        case retry(after: Duration)
        /// The budget is spent: dead-letter the command.
        case giveUp
    }

    /// The decision after `attempts` failed attempts, the first at `firstAttemptAt`, now `now` (unix ms).
    public func afterFailure(attempts: Int, firstAttemptAt: Int64, now: Int64) -> Decision {
        guard attempts < maxAttempts else { return .giveUp }
        let delay = backoff.delay(attempt: attempts)
        let nextAt = now + delay.milliseconds
        guard nextAt - firstAttemptAt <= budget.milliseconds else { return .giveUp }
        return .retry(after: delay)
    }
}
