import Foundation
import TransitKafka
import TransitRPC
import TransitTime

extension TestBroker {
    /// An RPC request record as any client could write it, with a `reply-to` of its choice.
    static func rawRequest(
        service: String, method: String, body: [UInt8], key: String?, replyTo: String, correlationID: String,
        topics: TransitTopics, idempotencyKey: String? = nil
    ) -> KafkaProducerMessage {
        var headers = [
            KafkaHeader(name: TransitHeaders.rpcMethod, string: method),
            KafkaHeader(name: TransitHeaders.correlationID, string: correlationID),
            KafkaHeader(name: TransitHeaders.replyTo, string: replyTo),
            KafkaHeader(name: TransitHeaders.deadline, string: String(SystemWallClock().nowMilliseconds() + 120_000)),
        ]
        if let idempotencyKey { headers.append(KafkaHeader(name: TransitHeaders.idempotencyKey, string: idempotencyKey)) }
        return KafkaProducerMessage(
            topic: topics.rpcRequests(service: service), key: key.map { Array($0.utf8) }, value: body, headers: headers)
    }
}
