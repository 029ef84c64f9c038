import Logging
import ServiceLifecycle
import Synchronization
import Tracing
import TransitKafka
import TransitRPC
import TransitStore

/// Runs a ``TransitHandler`` with effectively-once effects: per batch it decodes, skips event ids
/// the group already processed (inbox), handles the rest, and writes state, inbox rows and outgoing
/// messages (outbox) in one store transaction; then publishes the outbox and commits offsets.
/// Publishing (waiting for the broker's acknowledgements) overlaps reading and storing the next
/// batches, up to ``WorkerOptions/maxUnpublishedBatches``; offsets are committed asynchronously
/// once the batch's transaction committed.
/// A crash anywhere replays the batch without a second effect.
///
/// A ServiceLifecycle `Service`: on graceful shutdown it finishes the batch in hand, flushes the
/// outbox, commits and leaves the group.
public final class Worker<Handler: TransitHandler>: Service, Sendable {
    public let handler: Handler
    let store: any TransitStore
    private let relay: OutboxRelay
    private let client: KafkaClientConfiguration
    let topics: TransitTopics
    let options: WorkerOptions
    let logger: Logger
    let statsBox = Mutex(WorkerStats())
    /// Failed attempts of due timers still failing, by timer key (``fireDueTimers()``).
    let timerAttempts = Mutex([String: Int]())
    private let stopping = Atomic<Bool>(false)
    private let readiness = SubscriptionGate()
    /// The input partitions assigned and claimed in the store (``PartitionClaim``).
    let ownership = PartitionOwnership()
    let metrics: WorkerMetrics
    /// Spans of records, from the tracer active when the worker was created (``RecordTracing``).
    let tracing: RecordTracing

    /// Liveness and readiness figures for the process's probes.
    public let progress: WorkerProgress

    /// The consumer group of this worker.
    public var groupID: String { options.groupID ?? WorkerOptions.defaultGroupID(workerName: handler.name) }

    public init(
        handler: Handler, store: any TransitStore, relay: OutboxRelay, client: KafkaClientConfiguration,
        topics: TransitTopics = TransitTopics(), options: WorkerOptions = WorkerOptions(), logger: Logger
    ) {
        self.handler = handler
        self.store = store
        self.relay = relay
        self.client = client
        self.topics = topics
        self.options = options
        self.progress = WorkerProgress(storeRetryBudget: options.storeRetryBudget, relayStore: relay.storeHealth)
        var logger = logger
        logger[metadataKey: "worker"] = "\(handler.name)"
        self.logger = logger
        self.metrics = WorkerMetrics(worker: handler.name)
        self.tracing = RecordTracing(tracer: InstrumentationSystem.tracer, worker: handler.name)
    }

    /// What the worker did so far.
    public var stats: WorkerStats { statsBox.withLock { $0 } }

    /// Returns once the worker has subscribed (or immediately if it already has).
    public func waitUntilSubscribed() async {
        await readiness.wait()
    }

    /// The input partitions the group gave this worker (empty before the first assignment, and
    /// while a rebalance moves them).
    public var assignment: Set<KafkaTopicPartition> { ownership.assignment }

    /// Asks the loop to stop after the batch in hand (as graceful shutdown does).
    public func stop() {
        stopping.store(true, ordering: .relaxed)
    }

    public func run() async throws {
        defer { progress.markStopped() }
        let inFlight = BatchInFlight()
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                client: client, groupID: groupID, sessionTimeout: options.sessionTimeout,
                maxPollInterval: options.maxPollInterval, fetchWaitMax: .milliseconds(20),
                groupInstanceID: options.instanceID),
            rebalanceHook: revokeHook(inFlight),
            logger: logger)
        try consumer.subscribe(topics: handler.inputTopics)
        readiness.open()
        logger.info("worker started", metadata: ["group": "\(groupID)", "topics": "\(handler.inputTopics)"])
        await prepareOutputTopics()
        // Whatever a previous run (of any process) committed but did not publish goes out first.
        try await progress.waitingOnBroker { try await relay.flush(includingOtherWriters: true) }
        progress.markStartupFlushDone()

        // The next batch, read and decoded while the current one is written.
        var next: Task<PolledBatch, any Error>?
        do {
            try await withGracefulShutdownHandler {
                try await loop(consumer: consumer, inFlight: inFlight, next: &next)
            } onGracefulShutdown: {
                self.stop()
            }
        } catch {
            // Leave the group properly on the way out too (a cancelled task included): a consumer
            // destroyed without `close()` while a commit is in flight trips an assertion in
            // librdkafka 2.0.2 (rd_kafka_cgrp_terminated: !rd_kafka_assignment_in_progress).
            await Self.abandon(next)
            await commitStored(consumer)
            try? await consumer.close()
            throw error
        }
        // A batch read ahead is not processed: its offsets were not stored, it is read again later.
        await Self.abandon(next)
        try await relay.flush()
        await commitStored(consumer)
        try await consumer.close()
        logger.info("worker stopped", metadata: ["handled": "\(stats.handled)", "dead_lettered": "\(stats.deadLettered)"])
    }

    /// Looks up the output topics' partitions, so the first publish does not wait for librdkafka to
    /// ask again. Only a head start: a broker that cannot be reached yet is waited for like any
    /// other broker outage (consumer and relay retry), not a reason to stop.
    private func prepareOutputTopics() async {
        do {
            let feedback = Set(handler.inputTopics.compactMap(topics.feedbackTopic(forInput:)))
            let unknown = try await relay.prepare(topics: handler.outputTopics + [topics.deadLetters] + feedback.sorted())
            if !unknown.isEmpty {
                logger.warning("output topics not listed by the broker yet", metadata: ["topics": "\(unknown)"])
            }
        } catch {
            logger.warning("output topics not looked up; publishing will wait for the broker", metadata: ["error": "\(error)"])
        }
    }

    private func loop(consumer: KafkaConsumer, inFlight: BatchInFlight, next: inout Task<PolledBatch, any Error>?) async throws {
        let clock = ContinuousClock()
        var nextTimerCheck = clock.now
        var nextInboxPrune = clock.now
        while !stopping.load(ordering: .relaxed) && !Task.isCancelled {
            progress.beat()
            let polled: PolledBatch
            if let prefetched = next {
                next = nil
                polled = try await prefetched.value
            } else {
                polled = try await poll(consumer, inFlight: inFlight, offPool: false)
            }
            // Newly assigned partitions are claimed (and their pending rows published) first.
            if ownership.hasUnclaimed { try await claimAssigned(inFlight) }
            let claims = ownership.claims(for: polled.batch.messages)
            let decoded = polled.decoded.filter { claims[$0.message.topicPartition] != nil }
            if !decoded.isEmpty {
                inFlight.begin()
                next = Task { try await self.poll(consumer, inFlight: inFlight, offPool: true) }
                let started = clock.now
                do {
                    let processed = try await process(decoded, claims: claims)
                    // Stored before a revocation waiting in `inFlight` may commit.
                    try storeOffsets(KafkaMessageBatch(messages: processed.map(\.message)), consumer: consumer)
                    inFlight.end()
                    metrics.batchTook(clock.now - started)
                } catch {
                    inFlight.end()
                    throw error
                }
                // The batch's effects are committed to the store: its messages go out while
                // the next batch is written, and its offsets can be committed now (a re-delivery
                // before the commit lands is absorbed by the inbox).
                try await relay.request()
                try commitAsync(consumer)
                try await progress.waitingOnBroker { try await relay.waitForBacklog(atMost: options.maxUnpublishedBatches) }
            }
            if clock.now >= nextTimerCheck {
                if try await fireDueTimers() > 0 { try await relay.request() }
                nextTimerCheck = clock.now + options.timerInterval
            }
            if clock.now >= nextInboxPrune {
                if let retention = options.inboxRetention { try await pruneInbox(retention: retention) }
                try await pruneIdempotencyAnswers()
                nextInboxPrune = clock.now + options.inboxPruneInterval
            }
        }
    }

    // MARK: Batches

    /// A polled record, decoded (or why not) with its inbox key, ready for the transaction.
    private struct Decoded: Sendable {
        var message: KafkaConsumerMessage
        var result: Result<DecodedRecord<Handler.Input>, HandlerFailure>
        /// The inbox key (``Worker/dedupeKey(_:_:)``); nil when the record did not decode.
        var key: String?
        /// The envelope's event id, when the record could be read.
        var eventID: String?
        /// The record's `consume` span context (``RecordTracing``), set when its batch is processed.
        var trace = ServiceContext.topLevel

        init(_ message: KafkaConsumerMessage, _ result: Result<DecodedRecord<Handler.Input>, HandlerFailure>) {
            self.message = message
            self.result = result
            if case .success(let record) = result {
                key = Worker.dedupeKey(record.eventID, message)
                eventID = record.eventID
            }
        }

        /// The same record, given up on with `failure` (its event id kept for the sender's feedback).
        func failed(_ failure: HandlerFailure) -> Decoded {
            var failed = Decoded(message, .failure(failure))
            failed.eventID = eventID
            return failed
        }
    }

    /// A polled batch and its records, decoded.
    private struct PolledBatch: Sendable {
        var batch: KafkaMessageBatch
        var decoded: [Decoded]
    }

    /// Polls a batch and decodes it. Off the pool while a batch is in flight (the revoke hook may
    /// wait for it); messages of partitions revoked meanwhile are dropped.
    private func poll(_ consumer: KafkaConsumer, inFlight: BatchInFlight, offPool: Bool) async throws -> PolledBatch {
        let polled = try await consumer.poll(maxMessages: options.batchSize, timeout: options.pollTimeout, offPool: offPool)
        let batch = inFlight.droppingRevoked(polled)
        metrics.consumed(batch)
        let decoded: [Decoded] = batch.map { message in
            do throws(HandlerFailure) {
                return Decoded(message, .success(try handler.decode(message)))
            } catch {
                return Decoded(message, .failure(error))
            }
        }
        return PolledBatch(batch: batch, decoded: decoded)
    }

    /// The rebalance hook: partitions are revoked only once the batch in hand is written and its
    /// offsets stored (the consumer then commits them), or after `maxPollInterval`.
    private func revokeHook(_ inFlight: BatchInFlight) -> KafkaRebalanceHook {
        let limit = options.maxPollInterval
        let logger = self.logger
        return { [self] event, _ in
            switch event {
            case .revoking(let partitions):
                self.ownership.revoked(partitions)
                if !inFlight.revoking(partitions, limit: limit) {
                    logger.warning(
                        "batch still being written when its partitions were revoked; the next owner reads it again",
                        metadata: ["partitions": "\(partitions.map(\.description))"])
                }
            case .assigned(let partitions):
                inFlight.assigned(partitions)
                self.progress.markJoinedGroup()
                self.ownership.assigned(partitions)
            }
        }
    }

    /// Claims the assigned partitions that have no claim yet, then publishes the outbox, which now
    /// includes their pending rows (the previous owner's): those go out before any output of theirs
    /// written here. A revocation meanwhile waits for this, as for a batch.
    private func claimAssigned(_ inFlight: BatchInFlight) async throws {
        inFlight.begin()
        defer { inFlight.end() }
        let partitions = ownership.unclaimed()
        guard !partitions.isEmpty else { return }
        let (store, group) = (self.store, groupID)
        var claimed: [PartitionClaim] = []
        for partition in partitions {
            let claim = try await Retry.transient("claim partition", backoff: options.backoff, logger: logger, health: progress.store) {
                try await store.claim(group: group, topic: partition.topic, partition: partition.partition)
            }
            ownership.hold(claim)
            claimed.append(claim)
        }
        logger.info("partitions claimed; publishing their pending outbox first", metadata: ["claims": "\(claimed.map(\.description))"])
        try await progress.waitingOnBroker { try await relay.flush() }
    }

    private static func abandon(_ next: Task<PolledBatch, any Error>?) async {
        guard let next else { return }
        next.cancel()
        _ = try? await next.value
    }

    /// Handles one batch holding `claims` on its partitions (see ``process(_:claims:)``); records
    /// of partitions another worker claimed since are left to it. Returns the records handled,
    /// whose offsets may be stored.
    private func process(_ decoded: [Decoded], claims: [KafkaTopicPartition: PartitionClaim]) async throws -> [Decoded] {
        var decoded = decoded
        while !decoded.isEmpty {
            do {
                try await processClaimed(decoded, claims: claims)
                return decoded
            } catch let error as StoreError where error.code == .fenced {
                // Whatever the rebalance hook did meanwhile, these records are not this worker's.
                ownership.lose(error.fencedClaims)
                let fenced = Set(error.fencedClaims.map { KafkaTopicPartition(topic: $0.topic, partition: $0.partition) })
                logger.warning(
                    "partitions claimed by another worker: their records are left to it until the group assigns them here again",
                    metadata: ["partitions": "\(fenced.map(\.description).sorted())"])
                let before = decoded.count
                decoded.removeAll { fenced.contains($0.message.topicPartition) }
                // A store that names no partition of the batch: stop rather than retry forever.
                if decoded.count == before { throw error }
            }
        }
        return decoded
    }

    /// Handles one batch in one transaction; falls back to one record per transaction when the
    /// batch fails with a non-transient error, so that one poison record cannot block the partition.
    /// Publishing the outbox is left to the caller.
    private func processClaimed(_ decoded: [Decoded], claims: [KafkaTopicPartition: PartitionClaim]) async throws {
        let spans = decoded.map { tracing.consume($0.message) }
        defer { for span in spans { span.end() } }
        var decoded = decoded
        for index in decoded.indices { decoded[index].trace = spans[index].context }
        do {
            let stats = try await transaction(decoded, claims: claims, attempt: 1)
            record(stats)
        } catch where Self.mayRetryAlone(error) {
            logger.warning("batch failed, handling its records one by one", metadata: ["error": "\(error)"])
            for item in decoded { try await processAlone(item, claims: claims) }
        }
    }

    /// True for a failure that handling the records one by one may get past: neither transient
    /// (retried as it is), nor a cancellation, nor a lost claim.
    private static func mayRetryAlone(_ error: any Error) -> Bool {
        if Retry.isTransient(error) || error is CancellationError { return false }
        if let error = error as? StoreError, error.code == .fenced { return false }
        return true
    }

    private func processAlone(_ item: Decoded, claims: [KafkaTopicPartition: PartitionClaim]) async throws {
        var attempt = 0
        while true {
            attempt += 1
            do {
                record(try await transaction([item], claims: claims, attempt: attempt))
                return
            } catch where Self.mayRetryAlone(error) {
                if attempt < options.maxAttempts {
                    var retry = WorkerStats()
                    retry.retries = 1
                    record(retry)
                    try await Task.sleep(for: options.backoff.delay(attempt: attempt))
                    continue
                }
                let failure = HandlerFailure(code: "PROCESSING_FAILED", reason: "failed \(attempt) times: \(type(of: error))")
                logger.error(
                    "record dead-lettered after repeated failures",
                    metadata: ["topic": "\(item.message.topic)", "partition": "\(item.message.partition)",
                        "offset": "\(item.message.offset)", "error": "\(error)",
                        "trace_id": "\(TracePropagation.traceID(in: item.trace) ?? "-")"])
                var letter = item.failed(failure)
                letter.trace = item.trace
                record(try await transaction([letter], claims: claims, attempt: attempt))
                return
            }
        }
    }

    /// One store transaction over `items`, holding the claims on their partitions, retried with
    /// backoff on transient failures.
    private func transaction(_ items: [Decoded], claims: [KafkaTopicPartition: PartitionClaim], attempt: Int) async throws
        -> WorkerStats
    {
        var partitions = Set<KafkaTopicPartition>()
        for item in items { partitions.insert(item.message.topicPartition) }
        let sources = claims.filter { partitions.contains($0.key) }
        let held = Array(sources.values)
        let handler = self.handler
        let group = groupID
        let topics = self.topics
        let replyTopics = options.replyTopics
        let now = options.clock.nowMilliseconds()
        let tracing = self.tracing
        return try await Retry.transient("store transaction", backoff: options.backoff, logger: logger, health: progress.store) {
            let spans = StoreSpans()
            do {
                let stats = try await self.store.transaction(holding: held) { transaction in
                    try Self.apply(
                        items, handler: handler, group: group, topics: topics, replyTopics: replyTopics, now: now,
                        attempt: attempt, sources: sources, transaction: transaction, tracing: tracing, spans: spans)
                }
                spans.end(error: nil)
                return stats
            } catch {
                spans.end(error: error)
                throw error
            }
        }
    }

    /// The body of a batch transaction: inbox check, handler, inbox rows, outbox. Each output is
    /// tagged with the claim on its input's partition (`sources`).
    private static func apply(
        _ items: [Decoded], handler: Handler, group: String, topics: TransitTopics, replyTopics: ReplyTopicRule,
        now: Int64, attempt: Int, sources: [KafkaTopicPartition: PartitionClaim], transaction: any StoreTransaction,
        tracing: RecordTracing, spans: StoreSpans
    ) throws -> WorkerStats {
        var stats = WorkerStats()
        let source = "worker:\(handler.name)"
        /// A record with no effect: to the dead-letter topic, and `InputRejected` to its sender.
        func rejected(_ item: Decoded, _ failure: HandlerFailure, into outputs: inout [OutboxMessage], stats: inout WorkerStats) {
            outputs.append(deadLetter(item.message, failure, group: group, topics: topics, now: now, attempts: attempt))
            if let feedback = SenderFeedback.rejected(
                item.message, inputEventID: item.eventID, failure: failure, source: source, topics: topics, now: now)
            {
                outputs.append(feedback)
            }
            stats.deadLettered += 1
            stats.deadLetteredByCode[failure.code, default: 0] += 1
        }
        let seen = try transaction.processed(group: group, ids: items.compactMap(\.key))
        try prefetchStates(of: items, seen: seen, handler: handler, transaction: transaction)
        var seenInBatch = Set<String>(minimumCapacity: items.count)
        var newKeys: [String] = []
        newKeys.reserveCapacity(items.count)
        // One buffer for every output of the batch: each handler call appends to it in place.
        var outputs: [OutboxMessage] = []
        outputs.reserveCapacity(items.count)
        for index in items.indices {
            let tagged = outputs.count
            defer { tag(&outputs, from: tagged, source: sources[items[index].message.topicPartition]) }
            guard let key = items[index].key else {
                if case .failure(let failure) = items[index].result {
                    rejected(items[index], failure, into: &outputs, stats: &stats)
                }
                continue
            }
            if seen.contains(key) || !seenInBatch.insert(key).inserted {
                stats.duplicates += 1
                continue
            }
            guard case .success(let record) = items[index].result else { continue }
            let kept = outputs.count
            var context = HandlerContext(
                now: now, topics: topics, source: items[index].message, outputs: outputs, replyTopics: replyTopics,
                actor: source, tracer: tracing.tracer)
            outputs = []
            do {
                let handle = try tracing.handle(parent: items[index].trace) {
                    try handler.handle(record, transaction: transaction, context: &context)
                }
                outputs = context.takeOutputs()
                tracing.stamp(&outputs[kept...], from: handle, in: spans)
                stats.handled += 1
                stats.refusedReplyTopics += context.refusedReplyTopics
            } catch let failure as HandlerFailure {
                // What the handler emitted before failing is dropped with its writes.
                outputs = context.takeOutputs()
                outputs.removeSubrange(kept...)
                rejected(items[index], failure, into: &outputs, stats: &stats)
            }
            newKeys.append(key)
        }
        try transaction.markProcessed(group: group, ids: newKeys)
        try transaction.enqueue(outputs)
        stats.batches = 1
        return stats
    }

    /// Reads ahead the states the handler will read for the batch's new records
    /// (``TransitHandler/stateReads(for:)``), one call per namespace.
    private static func prefetchStates(
        of items: [Decoded], seen: Set<String>, handler: Handler, transaction: any StoreTransaction
    ) throws {
        var keys: [String: [String]] = [:]
        for item in items {
            guard let key = item.key, !seen.contains(key), case .success(let record) = item.result else { continue }
            for read in handler.stateReads(for: record) { keys[read.namespace, default: []].append(read.key) }
        }
        for (namespace, keys) in keys.sorted(by: { $0.key < $1.key }) {
            try transaction.prefetchState(namespace: namespace, keys: keys)
        }
    }

    /// Tags `outputs[from...]` with the claim on their input's partition.
    private static func tag(_ outputs: inout [OutboxMessage], from start: Int, source: PartitionClaim?) {
        guard start < outputs.count else { return }
        for index in start..<outputs.count { outputs[index].source = source }
    }

    /// The inbox key: the event id, plus the replay id for a deliberate re-run.
    static func dedupeKey(_ eventID: String, _ message: KafkaConsumerMessage) -> String {
        if let replayID = message.headers.string(TransitHeaders.replayID), !replayID.isEmpty {
            return eventID + "#replay:" + replayID
        }
        return eventID
    }

    private static func deadLetter(
        _ message: KafkaConsumerMessage, _ failure: HandlerFailure, group: String, topics: TransitTopics, now: Int64,
        attempts: Int
    ) -> OutboxMessage {
        OutboxMessage(
            DeadLetter(
                message: message, group: group, attempts: attempts, code: failure.code, reason: failure.reason, failedAt: now
            ).producerMessage(topics: topics))
    }

    /// Stores the batch's offsets for the next commit. A partition revoked meanwhile (its batch was
    /// abandoned) cannot take them; the next owner reads those records again and the inbox absorbs them.
    private func storeOffsets(_ batch: KafkaMessageBatch, consumer: KafkaConsumer) throws {
        do {
            try consumer.store(batch)
        } catch let error as KafkaError where error.code == .rebalance {
            logger.warning("offsets not stored: partition no longer assigned", metadata: ["error": "\(error)"])
        }
    }

    /// Starts committing the stored offsets without waiting for the answer.
    private func commitAsync(_ consumer: KafkaConsumer) throws {
        do {
            try consumer.commitAsync()
        } catch let error as KafkaError where error.code == .rebalance || error.isRetriable {
            logger.warning("offset commit failed; the inbox will absorb any re-delivery", metadata: ["error": "\(error)"])
        }
    }

    /// Commits the stored offsets and waits for the answer (at shutdown). A failure only means
    /// a re-delivery after restart, which the inbox absorbs.
    private func commitStored(_ consumer: KafkaConsumer) async {
        do {
            try await consumer.commit()
        } catch {
            logger.warning("final offset commit failed; the inbox will absorb any re-delivery", metadata: ["error": "\(error)"])
        }
    }

    func record(_ delta: WorkerStats) {
        statsBox.withLock { stats in
            stats.handled += delta.handled
            stats.duplicates += delta.duplicates
            stats.deadLettered += delta.deadLettered
            stats.timersFired += delta.timersFired
            stats.batches += delta.batches
            stats.refusedReplyTopics += delta.refusedReplyTopics
            stats.retries += delta.retries
            stats.deadLetteredByCode.merge(delta.deadLetteredByCode, uniquingKeysWith: +)
        }
        metrics.record(delta)
        if delta.refusedReplyTopics > 0 {
            logger.warning("RPC requests refused: reply-to is not a reply topic", metadata: ["requests": "\(delta.refusedReplyTopics)"])
        }
    }

    // MARK: Inbox retention

    /// Where the sweep over the group's inbox goes on ("" from the start).
    private let inboxCursor = Mutex("")

    /// Sweeps on over the group's inbox, deleting rows older than `retention`: up to 100,000 rows
    /// looked at per call, 10,000 per transaction, so a round never holds the loop (or SQLite's
    /// write lock) long; at the end of the inbox the sweep starts over. Returns how many it deleted.
    @discardableResult
    func pruneInbox(retention: Duration) async throws -> Int {
        let cutoff = options.clock.nowMilliseconds() - retention.milliseconds
        let (group, store) = (groupID, self.store)
        let deleted = try await sweep("prune inbox", cursor: inboxCursor) { cursor in
            try await store.pruneInbox(group: group, processedBefore: cutoff, after: cursor, limit: 10_000)
        }
        if deleted > 0 {
            statsBox.withLock { $0.inboxPruned += deleted }
            logger.info("inbox pruned", metadata: ["rows": "\(deleted)", "retention": "\(retention)"])
        }
        return deleted
    }

    /// Where the sweep over stored idempotency answers goes on ("" from the start).
    private let idempotencyCursor = Mutex("")

    /// Deletes idempotency answers stored before `now` minus ``WorkerOptions/idempotencyRetention``
    /// (nothing when it is nil), sweeping like the inbox pruning; the loop calls it every
    /// ``WorkerOptions/inboxPruneInterval``. `now` (unix ms) is ``WorkerOptions/clock``'s time
    /// unless a test injects another. Returns how many it deleted.
    @discardableResult
    public func pruneIdempotencyAnswers(now: Int64? = nil) async throws -> Int {
        guard let retention = options.idempotencyRetention else { return 0 }
        let cutoff = (now ?? options.clock.nowMilliseconds()) - retention.milliseconds
        let store = self.store
        let deleted = try await sweep("prune idempotency answers", cursor: idempotencyCursor) { cursor in
            try await store.pruneState(
                namespace: StoreIdempotency.namespace, updatedBefore: cutoff, after: cursor, limit: 10_000)
        }
        if deleted > 0 {
            statsBox.withLock { $0.idempotencyAnswersPruned += deleted }
            logger.info("idempotency answers pruned", metadata: ["rows": "\(deleted)", "retention": "\(retention)"])
        }
        return deleted
    }

    /// Up to ten steps of a resumable sweep (each step one transaction of at most 10,000 rows,
    /// retried on transient failures), going on from `cursor` and leaving it where it stopped ("" to
    /// start over at the end). Returns how many rows the steps deleted.
    private func sweep(
        _ what: String, cursor: borrowing Mutex<String>, step: @escaping @Sendable (String) async throws -> InboxSweep
    ) async throws -> Int {
        var deleted = 0
        for _ in 0..<10 {
            let from = cursor.withLock { $0 }
            let result = try await Retry.transient(what, backoff: options.backoff, logger: logger, health: progress.store) { try await step(from) }
            deleted += result.deleted
            cursor.withLock { $0 = result.next ?? "" }
            if result.next == nil { break }
        }
        return deleted
    }
}
