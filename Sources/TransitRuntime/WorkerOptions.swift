import TransitRPC
import TransitTime

/// Tuning of a ``Worker``.
public struct WorkerOptions: Sendable {
    /// Most records per batch (one store transaction). Default: 1,000.
    public var batchSize: Int
    /// Longest wait for the first record of a batch. Default: 100 ms.
    public var pollTimeout: Duration
    /// How often due timers are looked for. Default: 250 ms.
    public var timerInterval: Duration
    /// Backoff for transient failures. Default: ``Backoff/init(initial:maximum:multiplier:jitter:)`` defaults.
    public var backoff: Backoff
    /// Attempts of a record, or of a due timer, that keeps failing with a non-transient error before
    /// it is dead-lettered (a timer is tried once per ``timerInterval``). Default: 3.
    public var maxAttempts: Int
    /// Consumer group; default `trialtransit.<handler name>` (``defaultGroupID(workerName:)``).
    public var groupID: String?

    /// The consumer group of the worker named `workerName` when ``groupID`` is nil.
    public static func defaultGroupID(workerName: String) -> String { "trialtransit.\(workerName)" }
    /// A member not heard from within this time leaves the group. Default: 10 s.
    public var sessionTimeout: Duration
    /// Longest time between two polls, and how long a rebalance waits for members to rejoin (some
    /// brokers, the local one included, wait this long for a crashed member). Default: 30 s.
    public var maxPollInterval: Duration
    /// Static group membership id (see ``KafkaConsumerConfiguration/groupInstanceID``). Default: nil.
    public var instanceID: String?
    /// Committed batches whose outbox messages may still be waiting for the broker before the
    /// worker stops reading; publishing overlaps processing up to this depth. Default: 4.
    public var maxUnpublishedBatches: Int
    /// How long the group's inbox remembers a processed event id; older rows are deleted, and an
    /// event delivered again after that (without a `replay-id`) is processed again. Must exceed the
    /// input topics' retention (14 days at most in docs/CONTRACT.md) plus any window in which
    /// records are re-published by hand. nil keeps every row. Default: 30 days.
    public var inboxRetention: Duration?
    /// How often the inbox is pruned (at most 100,000 rows per round, in transactions of 10,000),
    /// together with expired idempotency answers. Default: 10 minutes.
    public var inboxPruneInterval: Duration
    /// How long an RPC answer stays stored under its idempotency key: a retry within this time gets
    /// the first answer; after it (and the next prune round) the key is free again. nil keeps
    /// every answer. Default: 24 hours.
    public var idempotencyRetention: Duration?
    /// The topics RPC replies may go to; requests naming another `reply-to` are refused,
    /// audited and counted (``WorkerStats/refusedReplyTopics``). Default: ``ReplyTopicRule/standard``.
    public var replyTopics: ReplyTopicRule
    /// The wall clock for batch and timer time, deadlines and inbox retention. Default: the system's.
    public var clock: any WallClock
    /// How long the loop's store calls may keep failing transiently before the worker reports not
    /// ready (``WorkerProgress/storeTrouble(now:)``); they are retried with ``backoff`` meanwhile
    /// and after, never skipped. Default: 30 s.
    public var storeRetryBudget: Duration = .seconds(30)

    public init(
        batchSize: Int = 1_000, pollTimeout: Duration = .milliseconds(100), timerInterval: Duration = .milliseconds(250),
        backoff: Backoff = Backoff(), maxAttempts: Int = 3, groupID: String? = nil, sessionTimeout: Duration = .seconds(10),
        maxPollInterval: Duration = .seconds(30), instanceID: String? = nil, maxUnpublishedBatches: Int = 4,
        inboxRetention: Duration? = .seconds(30 * 24 * 3600), inboxPruneInterval: Duration = .seconds(600),
        idempotencyRetention: Duration? = .seconds(24 * 3600), replyTopics: ReplyTopicRule = .standard,
        clock: any WallClock = SystemWallClock()
    ) {
        self.clock = clock
        self.idempotencyRetention = idempotencyRetention
        self.replyTopics = replyTopics
        self.inboxRetention = inboxRetention
        self.inboxPruneInterval = inboxPruneInterval
        self.maxUnpublishedBatches = max(0, maxUnpublishedBatches)
        self.instanceID = instanceID
        self.sessionTimeout = sessionTimeout
        self.maxPollInterval = maxPollInterval
        self.batchSize = batchSize
        self.pollTimeout = pollTimeout
        self.timerInterval = timerInterval
        self.backoff = backoff
        self.maxAttempts = maxAttempts
        self.groupID = groupID
    }
}

/// Counts of what a worker did, for logs, tests and the demo.
public struct WorkerStats: Sendable, Hashable {
    /// Records handled (new event ids).
    public var handled = 0
    /// Records skipped because their event id was already processed.
    public var duplicates = 0
    /// Records sent to the dead-letter topic.
    public var deadLettered = 0
    /// Of ``deadLettered``, how many per dead-letter code.
    public var deadLetteredByCode: [String: Int] = [:]
    /// Timers fired.
    public var timersFired = 0
    /// Timers whose handler kept failing, dead-lettered (`TIMER_FAILED`) and removed.
    public var timersDeadLettered = 0
    /// Batches committed.
    public var batches = 0
    /// Transactions retried after a failure.
    public var retries = 0
    /// Inbox rows deleted after ``WorkerOptions/inboxRetention``.
    public var inboxPruned = 0
    /// Idempotency answers deleted after ``WorkerOptions/idempotencyRetention``.
    public var idempotencyAnswersPruned = 0
    /// RPC requests refused unanswered because their `reply-to` is not a reply topic.
    public var refusedReplyTopics = 0

    public init() {}
}
