import Logging
import Synchronization
import Tracing
import TransitKafka
import TransitWire
import TransitTime

/// Serves an ``RPCRouter`` from Kafka for methods without store state (such as Health): reads the
/// request topics of the router's services, answers each request on its `reply-to` topic, and sends
/// requests nobody can answer to the dead-letter topic. A request whose `reply-to` the
/// ``ReplyTopicRule`` does not admit is refused unanswered, audited and counted
/// (``refusedReplyTopics``).
///
/// A reply that cannot be published never stops the server: refused for good (e.g. its `reply-to`
/// names an invalid or missing topic) its request is dead-lettered as `PUBLISH_FAILED`; a
/// transient failure is retried with backoff. Either way it is logged and counted
/// (``failedReplies``).
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
    private let failed = Atomic<Int>(0)
    private let tracer: any Tracer

    /// Replies (and dead letters) whose publishing failed since start, transient failures included.
    public var failedReplies: Int { failed.load(ordering: .relaxed) }

    /// - Parameters:
    ///   - replyTopics: the topics replies may go to (with `topics.prefix` in front).
    ///   - clock: tells the time for deadlines (tests pass a manual one).
    ///
    /// Each request served gets a server span from the tracer active at creation (bootstrapped, or
    /// bound with `withTracer`); its reply carries that span's `traceparent`.
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
        self.tracer = InstrumentationSystem.tracer
        consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(
                client: client, groupID: groupID, autoOffsetReset: .latest, fetchWaitMax: .milliseconds(5)),
            logger: logger)
        // A reply topic that does not exist fails its reply after 3 s instead of librdkafka's 30 s
        // (reply topics exist before their requests are sent), so one cannot hold up the others long.
        var replyClient = client
        if replyClient.rawProperties["topic.metadata.propagation.max.ms"] == nil {
            replyClient.rawProperties["topic.metadata.propagation.max.ms"] = "3000"
        }
        producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: replyClient, linger: .zero), logger: logger)
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
            var replies: [Outgoing] = []
            for message in batch {
                for record in answer(message, cache: &cache) { replies.append(Outgoing(request: message, record: record)) }
            }
            try await publish(replies)
            if groupID != nil {
                try consumer.store(batch)
                try await consumer.commit()
            }
        }
        try await producer.close()
        try await consumer.close()
    }

    /// A record to produce and the request it answers.
    private struct Outgoing {
        var request: KafkaConsumerMessage
        var record: KafkaProducerMessage
    }

    /// Publishes replies until each landed or, refused for good, was replaced by its request's
    /// dead letter (a dead letter refused for good is logged and dropped: the server has no store).
    /// Transient failures are retried with backoff until the task is cancelled.
    private func publish(_ outgoing: [Outgoing]) async throws {
        var pending = outgoing
        var attempt = 0
        while !pending.isEmpty {
            let failures = await (try producer.enqueue(pending.map(\.record))).failures()
            guard !failures.isEmpty else { return }
            failed.add(failures.count, ordering: .relaxed)
            var retry: [Outgoing] = []
            for failure in failures {
                let item = pending[failure.index]
                let metadata: Logger.Metadata = ["rpc.topic": "\(item.record.topic)", "rpc.error": "\(failure.error)"]
                if !failure.error.isPermanent {
                    retry.append(item)
                } else if item.record.topic == topics.deadLetters {
                    logger.error("dead letter refused for good; dropped", metadata: metadata)
                } else {
                    logger.error("reply refused for good; request dead-lettered as PUBLISH_FAILED", metadata: metadata)
                    var letter = DeadLetter(
                        message: item.request, group: groupID ?? "rpc-server", attempts: 1, code: "PUBLISH_FAILED",
                        reason: "reply to \(item.record.topic) failed for good: \(failure.error.message)",
                        failedAt: clock.nowMilliseconds()
                    ).producerMessage(topics: topics)
                    letter.headers.append(KafkaHeader(name: TransitHeaders.dlqIntendedTopic, string: item.record.topic))
                    retry.append(Outgoing(request: item.request, record: letter))
                }
            }
            pending = retry
            attempt += 1
            if failures.contains(where: { !$0.error.isPermanent }) {
                let delay = Duration.milliseconds(min(5_000, 50 << min(attempt, 7)))
                logger.warning("reply not published, retrying", metadata: ["attempt": "\(attempt)", "retry_in": "\(delay)"])
                try await Task.sleep(for: delay)
            }
        }
    }

    /// The record to produce for one request: its reply, a dead letter, or nothing when another
    /// process answers.
    func answer(_ message: KafkaConsumerMessage, cache: inout InMemoryIdempotencyCache) -> [KafkaProducerMessage] {
        let request: RPCRequest
        do {
            request = try RPCRequest(message: message)
        } catch {
            logger.warning("unanswerable request dead-lettered", metadata: ["rpc.error": "\(error.message)"])
            return [
                DeadLetter(
                    message: message, group: groupID ?? "rpc-server", attempts: 1, code: error.code, reason: error.message,
                    failedAt: clock.nowMilliseconds()
                ).producerMessage(topics: topics)
            ]
        }
        guard replyTopics.allows(request.replyTo, prefix: topics.prefix) else {
            refused.add(1, ordering: .relaxed)
            let refusal = ReplyRefusal(message: message)
            logger.warning(
                "request refused: reply-to is not a reply topic",
                metadata: ["rpc.source": "\(refusal.source)", "rpc.reply_topic_pattern": "\(replyTopics)"])
            return refusal.producerMessages(
                actor: "rpc-server:\(groupID ?? "every-process")", group: groupID ?? "rpc-server", at: clock.nowMilliseconds(),
                topics: topics)
        }
        let parent = TracePropagation.context(of: message.headers, tracer: tracer)
        let span = RPCSpans.server(request, parent: parent, tracer: tracer)
        var (reply, failure) = router.route(request, now: clock.nowMilliseconds(), idempotency: &cache)
        reply?.traceparent = TracePropagation.traceparent(in: span.context, tracer: tracer)
        RPCSpans.end(span, status: reply?.status)
        if let failure {
            logger.error(
                "handler failed",
                metadata: ["rpc.method": "\(request.method)", "rpc.error": "\(failure)"].merging(
                    TracePropagation.traceID(in: parent).map { ["trace_id": "\($0)"] } ?? [:]) { $1 })
        }
        return reply.map { [$0.producerMessage] } ?? []
    }
}
