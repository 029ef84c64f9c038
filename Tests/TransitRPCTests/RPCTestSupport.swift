import Logging
import TransitKafka
import TransitRPC
import TransitTestSupport

enum RPCTestSupport {
    static var client: KafkaClientConfiguration { get throws { try TestEnvironment.client } }

    static let logger: Logger = {
        var logger = Logger(label: "rpc-test")
        logger.logLevel = .warning
        return logger
    }()

    /// Topics under a prefix no other test uses.
    static func topics() -> TransitTopics {
        TransitTopics(prefix: uniqueName("test") + ".")
    }

    /// A request record as a server would read it.
    static func request(
        method: String, body: [UInt8] = [], deadline: Int64? = nil, idempotencyKey: String? = nil,
        replyTo: String? = "replies", correlationID: String? = "c-1"
    ) -> KafkaConsumerMessage {
        var headers = [KafkaHeader(name: TransitHeaders.rpcMethod, string: method)]
        if let replyTo { headers.append(KafkaHeader(name: TransitHeaders.replyTo, string: replyTo)) }
        if let correlationID { headers.append(KafkaHeader(name: TransitHeaders.correlationID, string: correlationID)) }
        if let deadline { headers.append(KafkaHeader(name: TransitHeaders.deadline, string: String(deadline))) }
        if let idempotencyKey { headers.append(KafkaHeader(name: TransitHeaders.idempotencyKey, string: idempotencyKey)) }
        headers.append(KafkaHeader(name: TransitHeaders.traceparent, string: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
        return KafkaConsumerMessage(
            topic: "rpc.requests", partition: 0, offset: 7, timestamp: nil, key: Array("patient-1".utf8), value: body,
            headers: headers)
    }
}
