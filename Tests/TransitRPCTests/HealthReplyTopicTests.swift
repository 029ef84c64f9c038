import TransitKafka
import TransitRPC
import TransitWire
import Testing
import TransitTestSupport

/// The Health server answers only reply topics: a Check whose `reply-to` names a partner or event
/// topic writes nothing there, and is audited and counted.
@Suite("Health: reply topics only", .timeLimit(.minutes(3)))
struct HealthReplyTopicTests {
    @Test func aCheckWhoseReplyToNamesAPartnerOrEventTopicIsRefusedAuditedAndCounted() async throws {
        let topics = RPCTestSupport.topics()
        let strays = [topics.partnerRequests("metro-taxi"), topics.trialAccessEvents]
        let admin = try KafkaAdmin(configuration: RPCTestSupport.client, logger: RPCTestSupport.logger)
        try await admin.createTopics((strays + [topics.audit]).map { KafkaTopicSpecification(name: $0, partitions: 1) })

        try await RPCTestSupport.withHealthServer(serving: [TrialAccessService.descriptor.name], topics: topics) {
            server, client in
            let producer = try KafkaProducer(
                configuration: KafkaProducerConfiguration(client: RPCTestSupport.client), logger: RPCTestSupport.logger)
            try await producer.send(
                strays.enumerated().map { index, target in
                    KafkaProducerMessage(
                        topic: topics.rpcRequests(service: HealthService.descriptor.name), key: nil,
                        value: HealthCheckRequest().wireBytes(),
                        headers: [
                            KafkaHeader(name: TransitHeaders.rpcMethod, string: HealthService.check.path),
                            KafkaHeader(name: TransitHeaders.correlationID, string: "stray-\(index)"),
                            KafkaHeader(name: TransitHeaders.replyTo, string: target),
                        ])
                })
            // A proper Check after them on the one request partition: answered means they were handled.
            let answer = try await client.call(HealthService.check, HealthCheckRequest(), deadline: .seconds(30))
            #expect(answer.status == .serving)

            for target in strays {
                let written = try await SentinelReading.recordsBeforeSentinels(target)
                #expect(written.isEmpty, "\(target) got \(written.count) records")
            }
            try await producer.close()
            let audit = try await readTopic(topics.audit) { $0.count >= 2 }
            let records = audit.compactMap { try? AuditRecord(wireBytes: $0.value) }.filter { $0.action == .requestRefused }
            #expect(Set(records.compactMap { $0.details["reply-to"] }) == Set(strays))
            #expect(records.allSatisfy { $0.details["method"] == HealthService.check.path })
            #expect(server.refusedReplyTopics == 2)
        }
    }
}
