import Logging
import TransitKafka
import TransitRPC
import TransitStore
import TransitTime

/// Publishes the store's outbox with the idempotent producer and marks what was acknowledged.
///
/// One relay per store and process: it is an actor with one publishing loop, so workers sharing
/// a store never publish the same rows concurrently. Workers call ``request()`` after each
/// committed transaction and go on with the next batch while the loop reads, sends and marks,
/// pipelined: up to `maxInFlight` groups wait for the broker's acknowledgement while the next
/// group is read; each group is marked published once acknowledged. ``waitForBacklog(atMost:)``
/// is the backpressure, ``flush()`` waits for everything.
///
/// It publishes the rows its store instance wrote, and rows other writers left for longer than
/// `orphanAge`, so relays of processes sharing a store do not all publish every row.
/// Transient failures (broker or store unavailable) are retried with backoff, never skipped; rows
/// stay in the outbox until the broker acknowledged them. After a failed send, everything not yet
/// marked goes out again from the oldest row (at least once, in order).
public actor OutboxRelay {
    private let store: any TransitStore
    private let producer: KafkaProducer
    private let backoff: Backoff
    private let logger: Logger
    private let batchSize: Int
    private let maxInFlight: Int
    private let orphanAge: Duration
    private let clock: any WallClock
    /// Reads cover every writer's rows until this request is covered (``flush(includingOtherWriters:)``).
    private var everyWriterThrough = 0
    /// Messages published since start.
    public private(set) var published = 0

    /// Publishing requests so far, how many of them are acknowledged (every row committed before
    /// the request is acknowledged by the broker) and how many are covered (those rows are also
    /// deleted from the outbox).
    private var requested = 0
    private var acknowledged = 0
    private var covered = 0
    private var restartFromOldest = false
    private var failure: (any Error)?
    private var waiters: [Waiter] = []
    private var nextWaiterID = 0

    /// A caller of ``waitForBacklog(atMost:)`` waiting for the relay.
    private struct Waiter {
        var id: Int
        var limit: Int
        var continuation: CheckedContinuation<Void, any Error>
    }
    private var loop: Task<Void, Never>?

    /// Reads after the last row sent before the loop starts over from the oldest pending row, so
    /// that a row whose lower id became visible late (concurrent PostgreSQL writers) waits at most
    /// one round.
    private static let readsPerRound = 16

    /// `orphanAge`: rows another store instance wrote are published by this relay too once they
    /// are this old (their writer has stopped; see ``OutboxScope``), by `clock`.
    public init(
        store: any TransitStore, producer: KafkaProducer, backoff: Backoff = Backoff(), batchSize: Int = 5_000,
        maxInFlight: Int = 4, orphanAge: Duration = .seconds(30), clock: any WallClock = SystemWallClock(), logger: Logger
    ) {
        self.orphanAge = orphanAge
        self.clock = clock
        self.store = store
        self.producer = producer
        self.backoff = backoff
        self.batchSize = max(1, batchSize)
        self.maxInFlight = max(1, maxInFlight)
        self.logger = logger
    }

    /// Looks up the partitions of the topics the relay will publish to (see
    /// ``KafkaProducer/prepare(topics:timeout:)``); returns those the broker does not list.
    @discardableResult
    public func prepare(topics: [String], timeout: Duration = .seconds(5)) async throws -> [String] {
        try await producer.prepare(topics: topics, timeout: timeout)
    }

    /// Asks for every row committed so far to be published, and returns at once. Throws (once)
    /// the error that stopped the loop since the last call, if any.
    public func request() throws {
        if let failure {
            self.failure = nil
            throw failure
        }
        requested += 1
        if loop == nil { loop = Task { await self.run() } }
    }

    /// Returns once at most `limit` requests are not yet acknowledged by the broker; with 0, once
    /// every row committed before the last request is published and deleted from the outbox.
    /// Throws `CancellationError` when the calling task is cancelled meanwhile (the relay goes on).
    public func waitForBacklog(atMost limit: Int) async throws {
        if let failure { throw failure }
        guard backlog(for: limit) > limit else { return }
        try Task.checkCancellation()
        let id = nextWaiterID
        nextWaiterID += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiters.append(Waiter(id: id, limit: limit, continuation: continuation))
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    /// Publishes every pending outbox message this store instance wrote (with
    /// `includingOtherWriters`, every pending message: at start, what a stopped process left),
    /// starting from the oldest, and waits until they are acknowledged; returns how many messages
    /// the relay published meanwhile.
    @discardableResult
    public func flush(includingOtherWriters: Bool = false) async throws -> Int {
        let before = published
        restartFromOldest = true
        try request()
        if includingOtherWriters { everyWriterThrough = requested }
        try await waitForBacklog(atMost: 0)
        return published - before
    }

    // MARK: The loop

    /// Rows handed to the producer, in outbox order, and the requests covered once they land.
    private struct Sending {
        var ids: [Int64]
        var delivery: KafkaDeliveryGroup
        var covers: Int
    }

    private struct SendFailure: Error {
        var error: any Error
    }

    private func run() async {
        var inFlight: [Sending] = []
        var after: Int64 = 0
        var reads = 0
        var failures = 0
        while true {
            do {
                if restartFromOldest || reads >= Self.readsPerRound {
                    // Start over from the oldest row once everything sent has landed.
                    if !inFlight.isEmpty {
                        try await settle(inFlight.removeFirst())
                        continue
                    }
                    restartFromOldest = false
                    after = 0
                    reads = 0
                }
                if inFlight.isEmpty {
                    if covered >= requested {
                        loop = nil
                        return
                    }
                    after = 0
                    reads = 0
                }
                let asked = requested
                let from = after
                let scope = readScope()
                let pending = try await Retry.transient("read outbox", backoff: backoff, logger: logger) {
                    try await self.store.pendingOutbox(after: from, limit: self.batchSize, scope: scope)
                }
                reads += 1
                // A short read reached the end: every row committed before `asked` is read.
                let reachedEnd = pending.count < batchSize
                if pending.isEmpty {
                    if inFlight.isEmpty {
                        cover(asked)
                    } else {
                        inFlight[inFlight.count - 1].covers = asked
                        try await settle(inFlight.removeFirst())
                    }
                    continue
                }
                after = pending[pending.count - 1].id
                // Enqueued here, in outbox order, before the next read; only the waiting overlaps.
                let delivery = try await producer.enqueue(pending.map(\.producerMessage))
                inFlight.append(Sending(ids: pending.map(\.id), delivery: delivery, covers: reachedEnd ? asked : covered))
                if inFlight.count > maxInFlight { try await settle(inFlight.removeFirst()) }
                failures = 0
            } catch let failure as SendFailure {
                // Let the rest land (or fail) before anything is sent again, from the oldest row.
                for sending in inFlight { try? await sending.delivery.wait() }
                inFlight = []
                if let error = failure.error as? KafkaError, error.code == .closed || error.isFatal {
                    logger.error("outbox relay stopped: the producer cannot send", metadata: ["error": "\(error)"])
                    fail(error)
                    return
                }
                failures += 1
                let delay = backoff.delay(attempt: failures)
                logger.warning(
                    "publish outbox failed, retrying",
                    metadata: ["attempt": "\(failures)", "retry_in": "\(delay)", "error": "\(failure.error)"])
                try? await Task.sleep(for: delay)
            } catch {
                // A store error that retrying cannot fix (e.g. the store was closed).
                for sending in inFlight { try? await sending.delivery.wait() }
                logger.error("outbox relay stopped", metadata: ["error": "\(error)"])
                fail(error)
                return
            }
        }
    }

    /// This process's rows and orphans, or every row while a flush of every writer is under way.
    private func readScope() -> OutboxScope {
        if covered < everyWriterThrough { return .all }
        return .own(orphanedBefore: clock.nowMilliseconds() - orphanAge.milliseconds)
    }

    /// Waits for a group's acknowledgement, marks it published and covers its requests.
    private func settle(_ sending: Sending) async throws {
        do {
            try await sending.delivery.wait()
        } catch {
            throw SendFailure(error: error)
        }
        // The worker may go on; the rows are in the broker (deleting them is housekeeping).
        acknowledge(sending.covers)
        try await Retry.transient("mark outbox published", backoff: backoff, logger: logger) {
            try await self.store.markPublished(sending.ids)
        }
        published += sending.ids.count
        cover(sending.covers)
    }

    /// Requests not yet done for a waiter with this limit: acknowledged for backpressure,
    /// covered (acknowledged and deleted) for a full wait.
    private func backlog(for limit: Int) -> Int {
        requested - (limit == 0 ? covered : acknowledged)
    }

    /// Rows of `count` requests are acknowledged (the outbox rows still to be deleted).
    private func acknowledge(_ count: Int) {
        guard count > acknowledged else { return }
        acknowledged = count
        resumeWaiters()
    }

    /// Rows of `count` requests are acknowledged and deleted.
    private func cover(_ count: Int) {
        guard count > covered else { return }
        covered = count
        acknowledged = max(acknowledged, count)
        resumeWaiters()
    }

    private func resumeWaiters() {
        var waiting: [Waiter] = []
        for waiter in waiters {
            if backlog(for: waiter.limit) <= waiter.limit { waiter.continuation.resume() } else { waiting.append(waiter) }
        }
        waiters = waiting
    }

    private func fail(_ error: any Error) {
        failure = error
        loop = nil
        everyWriterThrough = min(everyWriterThrough, covered)
        requested = covered
        acknowledged = covered
        let waiting = waiters
        waiters = []
        for waiter in waiting { waiter.continuation.resume(throwing: error) }
    }
}

/// Retry loops for transient failures.
enum Retry {
    /// Runs `operation` until it succeeds, waiting with backoff after transient failures
    /// (``StoreError/isTransient``, ``KafkaError/isRetriable``). Other errors are thrown.
    /// Cancellation ends the loop.
    static func transient<T: Sendable>(
        _ what: String, backoff: Backoff, logger: Logger, _ operation: @Sendable () async throws -> T
    ) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await operation()
            } catch {
                guard isTransient(error) else { throw error }
                try Task.checkCancellation()
                let delay = backoff.delay(attempt: attempt)
                logger.warning(
                    "\(what) failed, retrying",
                    metadata: ["attempt": "\(attempt)", "retry_in": "\(delay)", "error": "\(error)"])
                try await Task.sleep(for: delay)
            }
        }
    }

    static func isTransient(_ error: any Error) -> Bool {
        if let error = error as? StoreError { return error.isTransient }
        if let error = error as? KafkaError { return error.isRetriable }
        return false
    }
}
