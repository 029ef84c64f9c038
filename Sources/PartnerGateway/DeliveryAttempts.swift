import TransitTime

/// How one command's delivery ended.
public struct DeliveryResult: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// The partner answered 2xx with this status.
        case delivered(status: Int)
        /// Dead-lettered: `WEBHOOK_REFUSED` (a 4xx) or `WEBHOOK_RETRIES_EXHAUSTED` (budget spent).
        case deadLettered(code: String, reason: String)
    }

    public var outcome: Outcome
    /// Attempts made (1 when the first POST settled it).
    public var attempts: Int
    /// Unix ms of the first attempt.
    public var firstAttemptAt: Int64

    public init(outcome: Outcome, attempts: Int, firstAttemptAt: Int64) {
        self.outcome = outcome
        self.attempts = attempts
        self.firstAttemptAt = firstAttemptAt
    }
}

/// The retry loop of one command: POST, and after a failure wait as the policy says and POST
/// again with the same delivery id, until delivered, refused, or the budget is spent.
///
/// `post` and `sleep` are injected, so tests drive the backoff on a manual clock.
public struct DeliveryAttempts: Sendable {
    public var policy: DeliveryRetryPolicy
    public var clock: any WallClock

    public init(policy: DeliveryRetryPolicy, clock: any WallClock) {
        self.policy = policy
        self.clock = clock
    }

    /// Runs the loop. `onRetry` hears each failure that will be retried (attempt, reason, delay).
    /// Throws only what `sleep` throws (cancellation at shutdown: the command is not settled).
    public func deliver(
        deliveryID: String, body: [UInt8],
        post: (WebhookRequest) async -> PostOutcome,
        sleep: (Duration) async throws -> Void,
        onRetry: (Int, String, Duration) -> Void = { _, _, _ in }
    ) async throws -> DeliveryResult {
        let firstAttemptAt = clock.nowMilliseconds()
        var attempt = 1
        while true {
            let outcome = await post(WebhookRequest(deliveryID: deliveryID, body: body, attempt: attempt))
            let reason: String
            switch outcome {
            case .delivered(let status):
                return DeliveryResult(outcome: .delivered(status: status), attempts: attempt, firstAttemptAt: firstAttemptAt)
            case .refused(let status):
                return DeliveryResult(
                    outcome: .deadLettered(code: "WEBHOOK_REFUSED", reason: "partner answered HTTP \(status)"), attempts: attempt,
                    firstAttemptAt: firstAttemptAt)
            case .failed(let why):
                reason = why
            }
            switch policy.afterFailure(attempts: attempt, firstAttemptAt: firstAttemptAt, now: clock.nowMilliseconds()) {
            case .giveUp:
                return DeliveryResult(
                    outcome: .deadLettered(
                        code: "WEBHOOK_RETRIES_EXHAUSTED", reason: "\(attempt) attempts failed, last: \(reason)"),
                    attempts: attempt, firstAttemptAt: firstAttemptAt)
            case .retry(let delay):
                onRetry(attempt, reason, delay)
                try await sleep(delay)
                attempt += 1
            }
        }
    }
}
