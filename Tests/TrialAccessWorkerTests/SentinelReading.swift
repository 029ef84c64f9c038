import Foundation
import TransitKafka
import TransitRPC
import TransitTime

/// Proving that nothing was written to a topic: a sentinel record goes to each of its partitions
/// after the action under test, and the topic is read from the beginning until every sentinel
/// came back; whatever came before them is what the action wrote.
enum SentinelReading {
    static let header = "test-sentinel"

    struct TimedOut: Error, CustomStringConvertible {
        let topic: String
        let seen: [KafkaConsumerMessage]
        var description: String {
            "sentinels of \(topic) not read back in time; read \(seen.count) records: "
                + seen.map { "\($0.partition)/\($0.offset) \($0.headers.map(\.name))" }.joined(separator: ", ")
        }
    }

    /// The records of `topic` before this call's sentinels (sentinels excluded).
    static func recordsBeforeSentinels(_ topic: String, timeout: Duration = .seconds(60)) async throws
        -> [KafkaConsumerMessage]
    {
        let admin = try KafkaAdmin(configuration: TestBroker.client, logger: TestBroker.quietLogger)
        let partitions = try await admin.describeTopic(topic).partitions.map(\.id)
        let mark = TestBroker.unique("sentinel")
        try await TestBroker.publish(
            partitions.map {
                KafkaProducerMessage(
                    topic: topic, partition: $0, key: mark, value: [],
                    headers: [KafkaHeader(name: header, string: mark)])
            })
        var waiting = Set(partitions)
        var before: [KafkaConsumerMessage] = []
        let all = try await TestBroker.read(topic, timeout: timeout) { read in
            waiting = Set(partitions).subtracting(read.filter { $0.headers.string(header) == mark }.map(\.partition))
            return waiting.isEmpty
        }
        guard waiting.isEmpty else { throw TimedOut(topic: topic, seen: all) }
        for partition in partitions {
            let records = all.filter { $0.partition == partition }.sorted { $0.offset < $1.offset }
            before += records.prefix { $0.headers.string(header) != mark }
        }
        return before.filter { $0.headers.string(header) == nil }
    }
}

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
