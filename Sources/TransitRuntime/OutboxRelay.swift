import Logging
import Tracing
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
/// `orphanAge`, so relays of processes sharing a store do not all publish every row; another
/// writer's pending row of the same topic and key as one of its own and committed before it goes
/// out first, through this relay (``OutboxScope/own(orphanedBefore:)``), so that a key's outputs
/// keep their order across processes (the other relay may send a byte-identical copy too).
/// Transient failures (broker or store unavailable) are retried with backoff, never skipped; rows
/// stay in the outbox until the broker acknowledged them. After a failed send, what else was in
/// flight lands (and is marked) first; then what did not land goes out again from the oldest
/// pending row, so no row is sent more than once more. A row refused for good
/// (``KafkaError/isPermanent``: too large, invalid or missing topic, not authorised) is replaced
/// by its `PUBLISH_FAILED` dead letter, and a dead letter refused for good goes to the store's
/// dead outbox: neither holds up the rows after it.
public actor OutboxRelay {
    private let store: any TransitStore
    private let producer: KafkaProducer
    private let backoff: Backoff
    private let logger: Logger
    private let batchSize: Int
    private let maxInFlight: Int
    private let orphanAge: Duration
    private let clock: any WallClock
    private let deadLetterTopic: String
    private let tracing = OutboxTracing(tracer: InstrumentationSystem.tracer)
    /// Reads cover every writer's rows until this request is covered (``flush(includingOtherWriters:)``).
    private var everyWriterThrough = 0
    /// Messages published since start.
    public private(set) var published = 0
    /// Rows refused for good and replaced by their dead letter since start.
    public private(set) var deadLettered = 0
    /// Dead letters refused for good and moved to the dead outbox since start.
    public private(set) var buried = 0

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
    /// are this old (their writer has stopped; see ``OutboxScope``), by `clock`. `topics` names the
    /// dead-letter topic for rows that can never be published. Outputs that carry a trace get a
    /// `publish` span from the tracer active at creation (``OutboxTracing``).
    /// Whether the relay's store calls keep failing (a worker publishing through it reports that
    /// as not ready, ``WorkerProgress/storeTrouble(now:)``).
    public nonisolated let storeHealth = StoreHealth()

    public init(
        store: any TransitStore, producer: KafkaProducer, backoff: Backoff = Backoff(), batchSize: Int = 5_000,
        maxInFlight: Int = 4, orphanAge: Duration = .seconds(30), topics: TransitTopics = TransitTopics(),
        clock: any WallClock = SystemWallClock(), logger: Logger
    ) {
        self.deadLetterTopic = topics.deadLetters
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
        var rows: [OutboxMessage]
        var delivery: KafkaDeliveryGroup
        var covers: Int
        var spans: [(index: Int, span: any Span)] = []
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
                var pending = try await Retry.transient("read outbox", backoff: backoff, logger: logger, health: storeHealth) {
                    try await self.store.pendingOutbox(after: from, limit: self.batchSize, scope: scope)
                }
                reads += 1
                // A short read reached the end: every row committed before `asked` is read. (Other
                // writers' rows read ahead of ours count too: at worst one more read.)
                let reachedEnd = pending.count < batchSize
                Self.dropInFlight(&pending, after: from, inFlight: inFlight)
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
                let (messages, spans) = tracing.publishing(pending)
                let delivery = try await producer.enqueue(messages)
                inFlight.append(Sending(rows: pending, delivery: delivery, covers: reachedEnd ? asked : covered, spans: spans))
                if inFlight.count > maxInFlight { try await settle(inFlight.removeFirst()) }
                failures = 0
            } catch let failure as SendFailure {
                // Let the rest land (or fail) and mark what landed, so that starting again from the
                // oldest pending row sends only what did not land. Covering waits for that restart.
                for sending in inFlight { try? await settle(sending, credit: false) }
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

    /// Drops the rows at or below the cursor `after` that a group in flight holds already: another
    /// writer's row read again ahead of a later row of its key goes out once, in its first group.
    /// (Rows of this read above the cursor were never sent.)
    private static func dropInFlight(_ pending: inout [OutboxMessage], after: Int64, inFlight: [Sending]) {
        guard let first = pending.first, first.id <= after, !inFlight.isEmpty else { return }
        let sent = Set(inFlight.lazy.flatMap { $0.rows.lazy.map(\.id) })
        pending.removeAll { $0.id <= after && sent.contains($0.id) }
    }

    /// This process's rows and orphans, or every row while a flush of every writer is under way.
    private func readScope() -> OutboxScope {
        if covered < everyWriterThrough { return .all }
        return .own(orphanedBefore: clock.nowMilliseconds() - orphanAge.milliseconds)
    }

    /// Waits for a group's delivery reports, dead-letters the rows refused for good, marks the
    /// rows that landed published and (with `credit`, when nothing failed transiently) covers the
    /// group's requests. Throws ``SendFailure`` with the first transient failure.
    private func settle(_ sending: Sending, credit: Bool = true) async throws {
        let failures = await sending.delivery.failures()
        tracing.delivered(sending.spans, failures: failures)
        var landed = sending.rows.map(\.id)
        var transient: KafkaError?
        if !failures.isEmpty {
            var failed = Set<Int64>()
            for failure in failures {
                let row = sending.rows[failure.index]
                failed.insert(row.id)
                if failure.error.isPermanent {
                    try await unpublishable(UnpublishableOutput(row: row, error: failure.error))
                } else if transient == nil {
                    transient = failure.error
                }
            }
            landed.removeAll { failed.contains($0) }
        }
        // The worker may go on; the rows are in the broker (deleting them is housekeeping).
        if credit && transient == nil { acknowledge(sending.covers) }
        let ids = landed
        try await Retry.transient("mark outbox published", backoff: backoff, logger: logger, health: storeHealth) {
            try await self.store.markPublished(ids)
        }
        published += landed.count
        if let transient { throw SendFailure(error: transient) }
        if credit { cover(sending.covers) }
    }

    /// A row refused for good: replaced by its dead letter (a new row, so a request is added for
    /// it), or, when it is a dead letter already, moved to the dead outbox.
    private func unpublishable(_ output: UnpublishableOutput) async throws {
        let now = clock.nowMilliseconds()
        let metadata: Logger.Metadata = ["topic": "\(output.row.topic)", "outbox_id": "\(output.row.id)", "error": "\(output.error)"]
        if output.isDeadLetter(deadLetterTopic: deadLetterTopic) {
            logger.error("dead letter refused for good; moved to the dead outbox", metadata: metadata)
            try await Retry.transient("move outbox row to the dead outbox", backoff: backoff, logger: logger, health: storeHealth) {
                try await self.store.buryOutbox(output.row.id, reason: output.reason, failedAt: now)
            }
            buried += 1
        } else {
            logger.error("output refused for good; dead-lettered as \(UnpublishableOutput.code)", metadata: metadata)
            let letter = output.deadLetter(topic: deadLetterTopic, failedAt: now)
            try await Retry.transient("dead-letter outbox row", backoff: backoff, logger: logger, health: storeHealth) {
                try await self.store.replaceOutbox(output.row.id, with: letter)
            }
            deadLettered += 1
            requested += 1
        }
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
    /// `health`, when given, hears of each transient store failure and of the success after them
    /// (a worker's readiness, ``WorkerProgress/storeTrouble(now:)``).
    static func transient<T: Sendable>(
        _ what: String, backoff: Backoff, logger: Logger, health: StoreHealth? = nil,
        _ operation: @Sendable () async throws -> T
    ) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let result = try await operation()
                if attempt > 1 { health?.succeeded() }
                return result
            } catch {
                guard isTransient(error) else { throw error }
                if error is StoreError { health?.failed(error) }
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
