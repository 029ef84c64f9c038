import Testing

@testable import TransitRuntime

/// What the probes read from a worker's progress, with the time passed in.
@Suite struct WorkerProgressTests {
    private struct Outage: Error {}

    @Test func aLoopThatStopsGoingRoundIsNotLive() {
        let progress = WorkerProgress()
        progress.beat()
        let later = ContinuousClock.now + .seconds(120)
        #expect(progress.isLive(within: .seconds(60)))
        #expect(!progress.isLive(within: .seconds(60), now: later))
    }

    @Test func aLoopRetryingAFailingStoreStaysLiveAndBecomesNotReady() {
        let progress = WorkerProgress(storeRetryBudget: .seconds(30))
        progress.store.failed(Outage())
        let later = ContinuousClock.now + .seconds(120)
        #expect(progress.isLive(within: .seconds(60), now: later), "an outage of the store is not one a restart mends")
        let trouble = progress.storeTrouble(now: later) ?? "none"
        #expect(trouble.contains("retry budget 30 s"), "\(trouble)")

        progress.store.succeeded()
        #expect(progress.storeTrouble(now: later) == nil)
        #expect(!progress.isLive(within: .seconds(60), now: later + .seconds(120)))
    }

    @Test func theRelaysFailingStoreCallsCountForTheWorkerWaitingOnIt() {
        let relay = StoreHealth()
        let progress = WorkerProgress(storeRetryBudget: .seconds(30), relayStore: relay)
        let start = ContinuousClock.now
        relay.failed(Outage(), now: start)
        #expect(progress.storeTrouble(now: start + .seconds(10)) == nil, "within the budget")
        let trouble = progress.storeTrouble(now: start + .seconds(40)) ?? "none"
        #expect(trouble.contains("failing for 40 s"), "\(trouble)")
        #expect(progress.isLive(within: .seconds(60), now: start + .seconds(120)))
        relay.succeeded()
        #expect(progress.storeTrouble(now: start + .seconds(40)) == nil)
    }
}
