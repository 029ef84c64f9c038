import TransitKafka
import Testing

@Suite("Admin", .timeLimit(.minutes(1)))
struct AdminTests {
    @Test func createTopicsIsIdempotentAndListsPartitions() async throws {
        let admin = try KafkaAdmin(configuration: TestKafka.client, logger: TestKafka.logger)
        let plain = TestKafka.unique("test-admin")
        let compacted = TestKafka.unique("test-admin-compact")
        let created = try await admin.createTopics([
            KafkaTopicSpecification(name: plain, partitions: 3),
            KafkaTopicSpecification(name: compacted, partitions: 1, configs: ["cleanup.policy": "compact"]),
        ])
        #expect(Set(created) == [plain, compacted])
        let again = try await admin.createTopics([KafkaTopicSpecification(name: plain, partitions: 3)])
        #expect(again.isEmpty)

        let topics = try await admin.listTopics()
        #expect(topics.first { $0.name == plain }?.partitions.map(\.id) == [0, 1, 2])
        #expect(try await admin.describeTopic(compacted).partitions.count == 1)
        await #expect(throws: KafkaError.self) { try await admin.describeTopic(TestKafka.unique("missing")) }
    }
}
