import Logging
import Synchronization
import TransitKafka
import TransitWire
import TransitTime

/// Serves an ``RPCRouter`` from Kafka for methods without store state (such as Health): reads the
/// request topics of the router's services, answers each request on its `reply-to` topic, and sends
/// requests nobody can answer to the dead-letter topic. A request whose `reply-to` the
/// ``ReplyTopicRule`` does not admit is refused unanswered, audited and counted
/// (``refusedReplyTopics``).
///
/// With `groupID` nil the server reads only requests written after it started, outside any consumer
/// group, so that every process answers (used for Health, where each process speaks for itself).
public final class RPCServer: Sendable {
    private let router: RPCRouter<Void>
    private let consumer: KafkaConsumer
    private let producer: KafkaProducer
    private let admin: KafkaAdmin
    private let topics: TransitTopics
    private let groupID: String?
    private let replyTopics: ReplyTopicRule
    private let refused = Atomic<Int>(0)
    private let logger: Logger
    private let clock: any WallClock

    /// - Parameters:
    ///   - replyTopics: the topics replies may go to (with `topics.prefix` in front).
    ///   - clock: tells the time for deadlines (tests pass a manual one).
    public init(
        router: RPCRouter<Void>, client: KafkaClientConfiguration, groupID: String?, topics: TransitTopics = TransitTopics(),
        replyTopics: ReplyTopicRule = .standard, clock: any WallClock = SystemWallClock(), logger: Logger
    ) throws {
        self.router = router
        self.replyTopics = replyTopics
        self.clock = clock
        self.topics = topics
        self.groupID = groupID
        self.logger = logger
        consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                client: client, groupID: groupID, autoOffsetReset: .latest, fetchWaitMax: .milliseconds(5)),
            logger: logger)
        producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client, linger: .zero), logger: logger)
        admin = try KafkaAdmin(configuration: client, logger: logger)
    }

    /// Requests refused so far because their `reply-to` is not a reply topic.
    public var refusedReplyTopics: Int { refused.load(ordering: .relaxed) }

    /// The request topics this server reads.
    public var requestTopics: [String] { router.services.sorted().map { topics.rpcRequests(service: $0) } }

    /// Serves requests until the task is cancelled.
    public func run() async throws {
        try await admin.createTopics(requestTopics.map { KafkaTopicSpecification(name: $0, partitions: 1) })
        if groupID != nil {
            try consumer.subscribe(topics: requestTopics)
        } else {
            var start: [KafkaTopicPartitionOffset] = []
            for topic in requestTopics {
                for partition in try await admin.describeTopic(topic).partitions {
                    let high = try await admin.watermarks(topic: topic, partition: partition.id).high
                    start.append(KafkaTopicPartitionOffset(topic: topic, partition: partition.id, offset: high))
                }
            }
            try consumer.assign(start)
        }
        logger.info("RPC server ready", metadata: ["rpc.topics": "\(requestTopics)"])
        var cache = InMemoryIdempotencyCache()
        while !Task.isCancelled {
            let batch = try await consumer.poll(maxMessages: 500, timeout: .milliseconds(100))
            guard !batch.isEmpty else { continue }
            var replies: [KafkaProducerMessage] = []
            for message in batch {
                if let reply = answer(message, cache: &cache) { replies.append(reply) }
            }
            try await producer.send(replies)
            if groupID != nil {
                try consumer.store(batch)
                try await consumer.commit()
            }
        }
        try await producer.close()
        try await consumer.close()
    }

    /// The record to produce for one request: its reply, a dead letter, or nothing when another
    /// process answers.
    func answer(_ message: KafkaConsumerMessage, cache: inout InMemoryIdempotencyCache) -> KafkaProducerMessage? {
        let request: RPCRequest
        do {
            request = try RPCRequest(message: message)
        } catch {
            logger.warning("unanswerable request dead-lettered", metadata: ["rpc.error": "\(error.message)"])
            return DeadLetter(
                message: message, group: groupID ?? "rpc-server", attempts: 1, code: error.code, reason: error.message,
                failedAt: clock.nowMilliseconds()
            ).producerMessage(topics: topics)
        }
        guard replyTopics.allows(request.replyTo, prefix: topics.prefix) else {
            refused.add(1, ordering: .relaxed)
            let refusal = ReplyRefusal(message: message)
            logger.warning(
                "request refused: reply-to is not a reply topic",
                metadata: ["rpc.source": "\(refusal.source)", "rpc.reply_topic_pattern": "\(replyTopics)"])
            return refusal.producerMessage(
                actor: "rpc-server:\(groupID ?? "every-process")", at: clock.nowMilliseconds(), topics: topics)
        }
        let (reply, failure) = router.route(request, now: clock.nowMilliseconds(), idempotency: &cache)
        if let failure {
            logger.error("handler failed", metadata: ["rpc.method": "\(request.method)", "rpc.error": "\(failure)"])
        }
        return reply?.producerMessage
    }
}
