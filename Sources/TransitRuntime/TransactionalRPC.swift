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

    /// Queues an event, published only if the method answers OK.
    public func emit(topic: String, key: String?, value: [UInt8], headers: [OutboxHeader] = []) {
        outputs.append(OutboxMessage(topic: topic, key: key.map { Array($0.utf8) }, value: value, headers: headers))
    }
}

/// Idempotency answers kept in the worker's store, namespace `rpc-idempotency`.
struct StoreIdempotency: RPCIdempotencyStore {
    let transaction: any StoreTransaction
    static let namespace = "rpc-idempotency"

    func answer(method: String, key: String) throws -> RPCStoredAnswer? {
        try transaction.state(namespace: Self.namespace, key: method + "|" + key).flatMap(Self.decode)
    }

    func remember(method: String, key: String, answer: RPCStoredAnswer) throws {
        try transaction.setState(namespace: Self.namespace, key: method + "|" + key, value: Self.encode(answer))
    }

    /// status (4 bytes LE), message length (4 bytes LE, 0xFFFFFFFF = none), message, body.
    static func encode(_ answer: RPCStoredAnswer) -> [UInt8] {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: answer.status.littleEndian) { bytes += $0 }
        let message = answer.message.map { Array($0.utf8) }
        withUnsafeBytes(of: UInt32(message?.count ?? Int(UInt32.max)).littleEndian) { bytes += $0 }
        bytes += message ?? []
        bytes += answer.body
        return bytes
    }

    static func decode(_ bytes: [UInt8]) -> RPCStoredAnswer? {
        guard bytes.count >= 8 else { return nil }
        let status = bytes.withUnsafeBytes { Int32(littleEndian: $0.loadUnaligned(as: Int32.self)) }
        let length = bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self)) }
        var offset = 8
        var message: String?
        if length != UInt32.max {
            guard bytes.count >= 8 + Int(length) else { return nil }
            message = String(decoding: bytes[8..<(8 + Int(length))], as: UTF8.self)
            offset += Int(length)
        }
        return RPCStoredAnswer(status: status, message: message, body: Array(bytes[offset...]))
    }
}

extension HandlerContext {
    /// The dedupe key of an RPC request record: its correlation id (a retry has a new one; the
    /// idempotency key then returns the first answer).
    public static func rpcEventID(_ message: KafkaConsumerMessage) -> String? {
        message.headers.string(TransitHeaders.correlationID).map { "rpc:" + $0 }
    }

    /// Answers an RPC request record inside the worker's transaction: routes it, and queues the
    /// method's events (on OK) and the reply in the outbox. A request nobody can answer throws
    /// ``HandlerFailure`` (it goes to the dead-letter topic); an INTERNAL failure is answered and
    /// dead-lettered as well.
    public mutating func answerRPC(
        _ message: KafkaConsumerMessage, router: RPCRouter<RPCCall>, transaction: any StoreTransaction
    ) throws {
        let request: RPCRequest
        do {
            request = try RPCRequest(message: message)
        } catch {
            throw HandlerFailure(code: error.code, reason: error.message)
        }
        let call = RPCCall(transaction: transaction, now: now, topics: topics)
        var idempotency = StoreIdempotency(transaction: transaction)
        let (reply, failure) = router.route(request, now: now, idempotency: &idempotency, environment: call)
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
