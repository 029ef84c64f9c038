import TransitTime

/// How the reference partner behaves (`trialtransit partner-sim`).
public struct PartnerSimulatorOptions: Sendable, Hashable {
    /// Partner id; names the topics it reads and writes.
    public var partnerID: String
    /// Share of offers accepted (0...1); the rest are rejected. Default 1.
    public var acceptRate: Double
    /// Reject this many offers before behaving as configured. Default 0.
    public var rejectFirst: Int
    /// Answer every offer NO_DRIVERS_AVAILABLE. Default false.
    public var noDrivers: Bool
    /// Pause before answering an offer. Default 0.
    public var answerDelay: Duration
    /// Pause between two progress updates (driver assigned, arriving, picked up, completed). Default 200 ms.
    public var stepDelay: Duration
    /// Share of updates sent twice: the second copy has the same sequence number under a new event
    /// id, so the worker's sequence check (not only its inbox) must catch it. Default 0.
    public var duplicateRate: Double
    /// Share of progress updates held back and sent after the next one (the older one then arrives
    /// late and must be ignored). Default 0.
    public var reorderRate: Double
    /// Seed of the random choices; nil = random.
    public var seed: UInt64?
    /// Never answer anything (exercises offer time-outs). Default false.
    public var silent: Bool
    /// Consumer group; default `trialtransit.partner-sim.<partnerID>`.
    public var groupID: String?
    /// Commands read (and offsets committed) at a time. Default 100.
    public var pollBatchSize: Int
    /// How long the producer gathers updates into one request (librdkafka's linger). Default 0:
    /// each update goes out at once; a load test answering thousands of offers a second batches them.
    public var linger: Duration

    public init(
        partnerID: String, acceptRate: Double = 1, rejectFirst: Int = 0, noDrivers: Bool = false,
        answerDelay: Duration = .zero, stepDelay: Duration = .milliseconds(200), duplicateRate: Double = 0,
        reorderRate: Double = 0, seed: UInt64? = nil, silent: Bool = false, groupID: String? = nil,
        pollBatchSize: Int = 100, linger: Duration = .zero
    ) {
        self.partnerID = partnerID
        self.acceptRate = acceptRate
        self.rejectFirst = rejectFirst
        self.noDrivers = noDrivers
        self.answerDelay = answerDelay
        self.stepDelay = stepDelay
        self.duplicateRate = duplicateRate
        self.reorderRate = reorderRate
        self.seed = seed
        self.silent = silent
        self.groupID = groupID
        self.pollBatchSize = max(1, pollBatchSize)
        self.linger = linger
    }

    /// The consumer group it reads its requests topic in.
    public var effectiveGroupID: String { groupID ?? "trialtransit.partner-sim.\(partnerID)" }
}

/// What a ``PartnerSimulator`` did so far.
public struct PartnerSimulatorStats: Sendable, Hashable {
    /// Offers received (duplicates of a command's event id not counted).
    public var offers = 0
    /// Offers accepted.
    public var accepted = 0
    /// Offers rejected.
    public var rejected = 0
    /// Offers answered NO_DRIVERS_AVAILABLE.
    public var noDrivers = 0
    /// Offers left unanswered (silent).
    public var unanswered = 0
    /// Confirmations (addresses and contact token of an accepted ride) received.
    public var confirmations = 0
    /// Cancellations received.
    public var cancellations = 0
    /// Rides driven to COMPLETED.
    public var completed = 0
    /// Updates published (duplicates included).
    public var updatesSent = 0

    public init() {}
}
