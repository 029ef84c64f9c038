import Tracing
import TransitKafka
import TransitRPC
import TransitStore

/// What an RPC method handler of a worker gets besides the request: the batch's store transaction
/// and a place for the events it emits. Replies and events go out through the same outbox as the
/// method's state changes (contract §6).
public final class RPCCall {
    /// The worker's transaction: read and write state here.
    public let transaction: any StoreTransaction
    /// Processing time, unix ms.
    public let now: Int64
    /// Topic names (with the deployment prefix).
    public let topics: TransitTopics
    /// Events to publish when the call succeeds.
    public private(set) var outputs: [OutboxMessage] = []
    /// Timers to schedule when the call succeeds.
    public private(set) var timers: [DurableTimer] = []

    init(transaction: any StoreTransaction, now: Int64, topics: TransitTopics) {
        self.transaction = transaction
        self.now = now
        self.topics = topics
    }

    /// Queues an event, published only if the method answers OK (with the request's trace, added
    /// by the worker like to every output).
    public func emit(topic: String, key: String?, value: [UInt8], headers: [OutboxHeader] = []) {
        outputs.append(OutboxMessage(topic: topic, key: key.map { Array($0.utf8) }, value: value, headers: headers))
    }
}


extension HandlerContext {
    /// The dedupe key of an RPC request record: its correlation id (a retry has a new one; the
    /// idempotency key then returns the first answer).
    public static func rpcEventID(_ message: KafkaConsumerMessage) -> String? {
        message.headers.string(TransitHeaders.correlationID).map { "rpc:" + $0 }
    }

    /// The domain event id of an RPC call, from which the ids of its effects derive:
    /// `rpc:<Method>:<idempotency-key>` (a retry with the same key is the same input; the same key
    /// for another method is another input), else `rpc:<correlation-id>`.
    public static func rpcInputID(_ message: KafkaConsumerMessage) -> String {
        let headers = message.headers
        if let key = headers.string(TransitHeaders.idempotencyKey), !key.isEmpty {
            let method = headers.string(TransitHeaders.rpcMethod)?.split(separator: "/").last.map(String.init) ?? ""
            return "rpc:\(method):\(key)"
        }
        return "rpc:" + (headers.string(TransitHeaders.correlationID) ?? "")
    }

    /// Answers an RPC request record inside the worker's transaction: routes it, and queues the
    /// method's events (on OK) and the reply in the outbox. A request nobody can answer throws
    /// ``HandlerFailure`` (it goes to the dead-letter topic); an INTERNAL failure is answered and
    /// dead-lettered as well. A request whose `reply-to` ``replyTopics`` does not admit is not
    /// answered: an `AuditRecord` goes to the audit topic and the request to the dead-letter topic
    /// (`REPLY_TO_NOT_ALLOWED`) instead, and ``refusedReplyTopics`` counts it.
    public mutating func answerRPC(
        _ message: KafkaConsumerMessage, router: RPCRouter<RPCCall>, transaction: any StoreTransaction
    ) throws {
        let request: RPCRequest
        do {
            request = try RPCRequest(message: message)
        } catch {
            throw HandlerFailure(code: error.code, reason: error.message)
        }
        guard replyTopics.allows(request.replyTo, prefix: topics.prefix) else {
            // Refused unanswered: audited (ids and topic names only) and counted.
            refusedReplyTopics += 1
            for record in ReplyRefusal(message: message).producerMessages(actor: actor, group: "rpc", at: now, topics: topics) {
                emit(OutboxMessage(record))
            }
            return
        }
        let call = RPCCall(transaction: transaction, now: now, topics: topics)
        var idempotency = StoreIdempotency(transaction: transaction)
        let span = RPCSpans.server(request, parent: ServiceContext.current ?? .topLevel, tracer: tracer)
        let (reply, failure) = router.route(request, now: now, idempotency: &idempotency, environment: call)
        RPCSpans.end(span, status: reply?.status)
        guard let reply else { return }
        if reply.status == .ok {
            for output in call.outputs { emit(output) }
            for timer in call.timers { try transaction.schedule(timer) }
        }
        emit(OutboxMessage(reply.producerMessage))
        if let failure {
            emit(
                OutboxMessage(
                    DeadLetter(
                        message: message, group: "rpc", attempts: 1, code: "INTERNAL", reason: "handler failed: \(failure)",
                        failedAt: now
                    ).producerMessage(topics: topics)))
        }
    }
}

extension RPCCall {
    /// Schedules a durable timer if the call succeeds.
    public func schedule(_ timer: DurableTimer) {
        timers.append(timer)
    }
}
