import Logging
import Synchronization
import Tracing
import TransitKafka
import TransitTime
import TransitWire

/// Calls RPC methods over Kafka: produces the request to the service's request topic and waits for
/// the reply on this client's own reply topic, matched by correlation id.
///
/// Call ``run()`` (e.g. as a ServiceLifecycle service, or in a task) to read replies; calls made
/// before it is running wait for it. A call that gets no reply by its deadline throws
/// DEADLINE_EXCEEDED and leaves no waiter behind; a late reply is ignored.
public final class RPCClient: Sendable {
    private let producer: KafkaProducer
    private let consumer: KafkaConsumer
    private let admin: KafkaAdmin
    private let topics: TransitTopics
    /// The topic replies come back on.
    public let replyTopic: String
    private let logger: Logger
    private let clock: any WallClock
    private let waiters = Mutex<[String: CheckedContinuation<KafkaConsumerMessage, any Error>]>([:])
    private let ready = SubscriptionGate()
    private let sequence = Atomic<UInt64>(0)
    private let instance = String(UInt64.random(in: 0...UInt64.max), radix: 36)
    private let tracer: any Tracer

    /// - Parameters:
    ///   - client: brokers and security.
    ///   - clientID: names the reply topic (`rpc.replies.<clientID>`); unique per client process;
    ///     1 to 128 characters from `[A-Za-z0-9_-]`, as servers answer no other reply topic
    ///     (``ReplyTopicRule``). Any other id throws INVALID_ARGUMENT.
    ///   - producerLinger: batching delay for requests; 0 for lowest latency (the default).
    ///   - clock: tells the time for the absolute `deadline` header.
    ///
    /// Each call gets a client span from the tracer active at creation (bootstrapped, or bound with
    /// `withTracer`); the request carries that span's `traceparent`.
    public init(
        client: KafkaClientConfiguration, clientID: String, topics: TransitTopics = TransitTopics(),
        producerLinger: Duration = .zero, clock: any WallClock = SystemWallClock(), logger: Logger
    ) throws {
        guard let replyTopic = ReplyTopicRule.standard.topic(clientID: clientID, prefix: topics.prefix) else {
            throw RPCError.invalidArgument("RPC client id must be 1 to 128 characters from [A-Za-z0-9_-]")
        }
        self.topics = topics
        self.clock = clock
        self.replyTopic = replyTopic
        self.logger = logger
        self.tracer = InstrumentationSystem.tracer
        producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: client, linger: producerLinger), logger: logger)
        consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: client, fetchWaitMax: .milliseconds(5)), logger: logger)
        admin = try KafkaAdmin(configuration: client, logger: logger)
    }

    /// Creates the reply topic if needed, starts reading it from its current end, and dispatches
    /// replies to waiting calls until the task is cancelled.
    public func run() async throws {
        try await admin.createTopics([KafkaTopicSpecification(name: replyTopic, partitions: 1)])
        let (_, high) = try await admin.watermarks(topic: replyTopic, partition: 0)
        try consumer.assign([KafkaTopicPartitionOffset(topic: replyTopic, partition: 0, offset: high)])
        ready.open()
        defer { failAll(RPCError(.unavailable, "RPC client stopped")) }
        while !Task.isCancelled {
            let batch = try await consumer.poll(maxMessages: 1_000, timeout: .milliseconds(100))
            for message in batch {
                guard let id = message.headers.string(TransitHeaders.correlationID) else { continue }
                let waiter = waiters.withLock { $0.removeValue(forKey: id) }
                if let waiter {
                    waiter.resume(returning: message)
                } else {
                    logger.debug("late or foreign reply ignored", metadata: ["rpc.correlation_id": "\(id)"])
                }
            }
        }
    }

    /// Calls `method` and returns its response, or throws ``RPCError`` with the reply's status
    /// (DEADLINE_EXCEEDED when no reply came within `deadline`).
    public func call<Request: WireMessage, Response: WireMessage>(
        _ method: WireMethod<Request, Response>, _ request: Request, key: String? = nil,
        deadline: Duration = .seconds(5), idempotencyKey: String? = nil, traceparent: String? = nil
    ) async throws -> Response {
        let reply = try await send(
            method.path, service: method.service, body: request.wireBytes(), key: key, deadline: deadline,
            idempotencyKey: idempotencyKey, traceparent: traceparent)
        let status = Self.status(of: reply)
        guard status == .ok else {
            throw RPCError(status, reply.headers.string(TransitHeaders.rpcMessage) ?? status.name)
        }
        do {
            return try reply.value.withUnsafeBytes { try Response(wireBytes: $0) }
        } catch {
            throw RPCError(.internalError, "reply does not decode as \(Response.protoName): \(error)")
        }
    }

    /// The `rpc-status` of a reply record (UNKNOWN when missing).
    static func status(of reply: KafkaConsumerMessage) -> RPCStatusCode {
        RPCStatusCode(rawValue: reply.headers.string(TransitHeaders.rpcStatus).flatMap { Int32($0) } ?? 2)
    }

    /// Sends raw request bytes to `path` and returns the raw reply record. The call's client span
    /// is a child of `traceparent` when given, else of the current task's `ServiceContext`.
    public func send(
        _ path: String, service: String, body: [UInt8], key: String?, deadline: Duration, idempotencyKey: String?,
        traceparent: String?
    ) async throws -> KafkaConsumerMessage {
        let parent =
            traceparent.map {
                TracePropagation.context(of: [KafkaHeader(name: TransitHeaders.traceparent, string: $0)], tracer: tracer)
            } ?? ServiceContext.current ?? .topLevel
        let span = RPCSpans.client(path, parent: parent, tracer: tracer)
        do {
            let reply = try await send(
                path, service: service, body: body, key: key, deadline: deadline, idempotencyKey: idempotencyKey,
                span: span)
            RPCSpans.end(span, status: Self.status(of: reply))
            return reply
        } catch {
            RPCSpans.end(span, status: (error as? RPCError)?.code ?? .unavailable)
            throw error
        }
    }

    private func send(
        _ path: String, service: String, body: [UInt8], key: String?, deadline: Duration, idempotencyKey: String?,
        span: any Span
    ) async throws -> KafkaConsumerMessage {
        await waitUntilReady()
        let correlationID = "\(instance)-\(sequence.add(1, ordering: .relaxed).newValue)"
        let deadlineAt = clock.nowMilliseconds() + deadline.milliseconds
        var headers = [
            KafkaHeader(name: TransitHeaders.rpcMethod, string: path),
            KafkaHeader(name: TransitHeaders.correlationID, string: correlationID),
            KafkaHeader(name: TransitHeaders.replyTo, string: replyTopic),
            KafkaHeader(name: TransitHeaders.deadline, string: String(deadlineAt)),
        ]
        if let idempotencyKey { headers.append(KafkaHeader(name: TransitHeaders.idempotencyKey, string: idempotencyKey)) }
        headers = TracePropagation.stamped(headers, in: span.context, tracer: tracer)
        let message = KafkaProducerMessage(
            topic: topics.rpcRequests(service: service), key: key.map { Array($0.utf8) }, value: body, headers: headers)

        return try await withTaskCancellationHandler {
            try await withThrowingTaskGroup(of: KafkaConsumerMessage?.self) { group in
                group.addTask {
                    try await withCheckedThrowingContinuation { continuation in
                        self.waiters.withLock { $0[correlationID] = continuation }
                        Task { [producer = self.producer] in
                            do {
                                try await producer.send(message)
                            } catch {
                                self.fail(correlationID, error)
                            }
                        }
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: deadline)
                    self.fail(correlationID, RPCError(.deadlineExceeded, "no reply within \(deadline)"))
                    return nil
                }
                defer { group.cancelAll() }
                while let result = try await group.next() {
                    if let reply = result { return reply }
                }
                throw RPCError(.deadlineExceeded, "no reply within \(deadline)")
            }
        } onCancel: {
            self.fail(correlationID, CancellationError())
        }
    }

    /// Stops the producer; pending calls fail.
    public func close() async throws {
        failAll(RPCError(.unavailable, "RPC client closed"))
        try await producer.close()
        try await consumer.close()
    }

    private func fail(_ correlationID: String, _ error: any Error) {
        waiters.withLock { $0.removeValue(forKey: correlationID) }?.resume(throwing: error)
    }

    private func failAll(_ error: any Error) {
        let all = waiters.withLock { waiters in
            defer { waiters.removeAll() }
            return Array(waiters.values)
        }
        all.forEach { $0.resume(throwing: error) }
    }

    /// Returns once ``run()`` reads the reply topic (calls made earlier wait for this too, before
    /// their deadline starts).
    public func waitUntilReady() async {
        await ready.wait()
    }

    /// Number of calls waiting for a reply (for tests and metrics).
    public var pendingCalls: Int { waiters.withLock { $0.count } }
}

