import Tracing
import TransitKafka
import TransitRPC
import TransitStore

/// What a handler knows about the record being handled, and where its outgoing messages go.
public struct HandlerContext: Sendable {
    /// Processing time, unix ms (one value per batch).
    public let now: Int64
    /// Topic names (with the deployment prefix).
    public let topics: TransitTopics
    /// The record being handled, or nil for a timer.
    public let source: KafkaConsumerMessage?
    /// Set when the record was republished by `trialtransit replay`: a deliberate re-run. Effects
    /// must still be keyed so that nothing is done twice.
    public let replayID: String?
    /// W3C trace context of the input. Every output gets its own `traceparent` (same trace) from
    /// the worker once the record is handled (``RecordTracing``): handlers add none.
    public let traceparent: String?
    /// The topics RPC replies may go to (``WorkerOptions/replyTopics``).
    public let replyTopics: ReplyTopicRule
    /// Who acts in audit records the runtime writes: `worker:<handler name>`.
    public let actor: String
    /// The worker's tracer (RPC server spans of ``answerRPC(_:router:transaction:)``).
    let tracer: any Tracer
    /// RPC requests this record's handling refused for their `reply-to` (see ``answerRPC(_:router:transaction:)``).
    public internal(set) var refusedReplyTopics = 0
    /// Messages this record (or timer) queued, to be published after the transaction commits.
    public var outputs: [OutboxMessage] { Array(queued[firstOwn...]) }
    /// The batch's queued messages: earlier records' (before `firstOwn`), then this record's.
    private var queued: [OutboxMessage]
    private let firstOwn: Int

    /// `outputs`: messages already queued by earlier records of the batch; new ones are appended
    /// (the worker hands one buffer from record to record instead of allocating one per record).
    init(
        now: Int64, topics: TransitTopics, source: KafkaConsumerMessage?, outputs: [OutboxMessage] = [],
        replyTopics: ReplyTopicRule = .standard, actor: String = "worker", tracer: any Tracer = NoOpTracer()
    ) {
        self.tracer = tracer
        self.now = now
        self.topics = topics
        self.replyTopics = replyTopics
        self.actor = actor
        self.source = source
        self.queued = outputs
        self.firstOwn = outputs.count
        if let headers = source?.headers, !headers.isEmpty {
            self.replayID = headers.string(TransitHeaders.replayID)
            self.traceparent = headers.string(TransitHeaders.traceparent)
        } else {
            self.replayID = nil
            self.traceparent = nil
        }
    }

    /// Queues a message (the worker adds the input's trace to its headers afterwards).
    public mutating func emit(topic: String, key: String?, value: [UInt8], headers: [OutboxHeader] = []) {
        queued.append(OutboxMessage(topic: topic, key: key.map { Array($0.utf8) }, value: value, headers: headers))
    }

    /// Queues an already built message.
    public mutating func emit(_ message: OutboxMessage) {
        queued.append(message)
    }

    /// Hands back the buffer given at creation with this record's messages appended.
    mutating func takeOutputs() -> [OutboxMessage] {
        defer { queued = [] }
        return queued
    }
}
