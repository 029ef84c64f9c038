import TransitKafka

/// An RPC request read from Kafka: its routing headers and body.
public struct RPCRequest: Sendable {
    /// gRPC path, e.g. `/trialtransit.v1.Health/Check`.
    public var method: String
    public var correlationID: String
    public var replyTo: String
    /// Absolute deadline in unix ms, if the client set one.
    public var deadline: Int64?
    public var idempotencyKey: String?
    public var traceparent: String?
    /// The Kafka key (the entity key), if any.
    public var key: String?
    public var body: ArraySlice<UInt8>

    /// Why a record cannot be handled as a request at all (it goes to the dead-letter topic).
    public struct Unanswerable: Error, Sendable {
        /// Machine code for `dlq-error-code`.
        public var code: String
        public var message: String
    }

    /// Reads the contract headers of `message`. Throws ``Unanswerable`` when `reply-to` or
    /// `correlation-id` is missing: nobody could receive an answer.
    public init(message: KafkaConsumerMessage) throws(Unanswerable) {
        let headers = message.headers
        guard let replyTo = headers.string(TransitHeaders.replyTo), !replyTo.isEmpty,
            let correlationID = headers.string(TransitHeaders.correlationID), !correlationID.isEmpty
        else {
            throw Unanswerable(code: "NO_REPLY_TO", message: "request without reply-to or correlation-id")
        }
        self.method = headers.string(TransitHeaders.rpcMethod) ?? ""
        self.correlationID = correlationID
        self.replyTo = replyTo
        self.deadline = headers.string(TransitHeaders.deadline).flatMap { Int64($0) }
        self.idempotencyKey = headers.string(TransitHeaders.idempotencyKey).flatMap { $0.isEmpty ? nil : $0 }
        self.traceparent = headers.string(TransitHeaders.traceparent)
        self.key = message.keyString
        self.body = message.value
    }
}

/// The answer to one request: what goes to its `reply-to` topic.
public struct RPCReply: Sendable, Hashable {
    public var replyTo: String
    public var correlationID: String
    public var status: RPCStatusCode
    /// Error detail for a non-OK status.
    public var message: String?
    /// The response message on OK; empty otherwise.
    public var body: [UInt8]
    public var traceparent: String?

    public init(
        replyTo: String, correlationID: String, status: RPCStatusCode, message: String?, body: [UInt8],
        traceparent: String?
    ) {
        self.replyTo = replyTo
        self.correlationID = correlationID
        self.status = status
        self.message = message
        self.body = body
        self.traceparent = traceparent
    }

    /// Headers of the reply record (contract §6).
    public var headers: [KafkaHeader] {
        var headers = [
            KafkaHeader(name: TransitHeaders.correlationID, string: correlationID),
            KafkaHeader(name: TransitHeaders.rpcStatus, string: String(status.rawValue)),
        ]
        if let message, status != .ok { headers.append(KafkaHeader(name: TransitHeaders.rpcMessage, string: message)) }
        if let traceparent { headers.append(KafkaHeader(name: TransitHeaders.traceparent, string: traceparent)) }
        return headers
    }

    /// The reply as a record to produce, keyed by the correlation id.
    public var producerMessage: KafkaProducerMessage {
        KafkaProducerMessage(topic: replyTo, key: correlationID, value: body, headers: headers)
    }
}
