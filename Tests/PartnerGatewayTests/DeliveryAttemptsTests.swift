import PartnerGateway
import TransitRuntime
import TransitTestSupport
import Testing

/// The retry loop on a manual clock: each "sleep" moves the clock, so the backoff is exercised
/// without waiting, and the attempts the fake endpoint saw are checked.
@Suite struct DeliveryAttemptsTests {
    /// Doubling from 1 s up to 8 s, no jitter: delays 1, 2, 4, 8, 8, … s.
    func policy(maxAttempts: Int = 30, budget: Duration = .seconds(60)) -> DeliveryRetryPolicy {
        DeliveryRetryPolicy(
            backoff: Backoff(initial: .seconds(1), maximum: .seconds(8), jitter: 0), maxAttempts: maxAttempts, budget: budget)
    }

    /// Answers `failures` times with `failure`, then 200; records each request.
    final class Endpoint: @unchecked Sendable {
        var requests: [WebhookRequest] = []
        var failures: Int
        var failure: PostOutcome

        init(failures: Int, failure: PostOutcome = .failed(reason: "connection refused")) {
            self.failures = failures
            self.failure = failure
        }

        func post(_ request: WebhookRequest) -> PostOutcome {
            requests.append(request)
            if failures > 0 {
                failures -= 1
                return failure
            }
            return .delivered(status: 200)
        }
    }

    @Test func aPartnerDownForAMinuteGetsTheCommandAfterwardsWithTheSameDeliveryID() async throws {
        let clock = ManualClock()
        let start = clock.nowMilliseconds()
        let endpoint = Endpoint(failures: 10)
        var delays: [Duration] = []
        let result = try await DeliveryAttempts(policy: policy(budget: .seconds(300)), clock: clock).deliver(
            deliveryID: "dlv-1", body: [1, 2], post: { endpoint.post($0) },
            sleep: { delay in
                delays.append(delay)
                clock.advance(by: delay)
            })
        #expect(result == DeliveryResult(outcome: .delivered(status: 200), attempts: 11, firstAttemptAt: start))
        #expect(delays == [1, 2, 4, 8, 8, 8, 8, 8, 8, 8].map { Duration.seconds($0) })
        #expect(endpoint.requests.map(\.attempt) == Array(1...11))
        #expect(Set(endpoint.requests.map(\.deliveryID)) == ["dlv-1"])
        #expect(clock.nowMilliseconds() - start == 63_000)
    }

    @Test func theBudgetEndsInADeadLetter() async throws {
        let clock = ManualClock()
        let endpoint = Endpoint(failures: .max, failure: .failed(reason: "HTTP 503"))
        let result = try await DeliveryAttempts(policy: policy(budget: .seconds(20)), clock: clock).deliver(
            deliveryID: "dlv-2", body: [], post: { endpoint.post($0) }, sleep: { clock.advance(by: $0) })
        // 1 + 2 + 4 + 8 = 15 s spent; the next 8 s would end past the 20 s budget.
        #expect(result.attempts == 5)
        #expect(result.outcome == .deadLettered(code: "WEBHOOK_RETRIES_EXHAUSTED", reason: "5 attempts failed, last: HTTP 503"))
    }

    @Test func theAttemptLimitEndsInADeadLetter() async throws {
        let clock = ManualClock()
        let endpoint = Endpoint(failures: .max)
        let result = try await DeliveryAttempts(policy: policy(maxAttempts: 3), clock: clock).deliver(
            deliveryID: "dlv-3", body: [], post: { endpoint.post($0) }, sleep: { clock.advance(by: $0) })
        #expect(endpoint.requests.count == 3)
        #expect(result.outcome == .deadLettered(code: "WEBHOOK_RETRIES_EXHAUSTED", reason: "3 attempts failed, last: connection refused"))
    }

    @Test func aRefusalIsDeadLetteredWithoutRetry() async throws {
        let clock = ManualClock()
        let endpoint = Endpoint(failures: 1, failure: WebhookPoster.outcome(status: 401))
        let result = try await DeliveryAttempts(policy: policy(), clock: clock).deliver(
            deliveryID: "dlv-4", body: [], post: { endpoint.post($0) },
            sleep: { _ in Issue.record("a refusal is not retried") })
        #expect(result.outcome == .deadLettered(code: "WEBHOOK_REFUSED", reason: "partner answered HTTP 401"))
        #expect(result.attempts == 1)
    }

    @Test func statusesMapToOutcomes() {
        #expect(WebhookPoster.outcome(status: 204) == .delivered(status: 204))
        #expect(WebhookPoster.outcome(status: 400) == .refused(status: 400))
        #expect(WebhookPoster.outcome(status: 429) == .failed(reason: "HTTP 429"))
        #expect(WebhookPoster.outcome(status: 408) == .failed(reason: "HTTP 408"))
        #expect(WebhookPoster.outcome(status: 502) == .failed(reason: "HTTP 502"))
    }

    @Test func jitterKeepsEachDelayWithinItsSpread() {
        let jittered = DeliveryRetryPolicy(backoff: Backoff(initial: .seconds(1), maximum: .seconds(60), jitter: 0.2))
        for attempt in 1...8 {
            guard case .retry(let delay) = jittered.afterFailure(attempts: attempt, firstAttemptAt: 0, now: 0) else {
                Issue.record("attempt \(attempt) not retried")
                continue
            }
            let base = min(Double(1 << (attempt - 1)), 60)
            #expect(delay >= .seconds(base * 0.8) && delay <= .seconds(base * 1.2))
        }
    }
}
