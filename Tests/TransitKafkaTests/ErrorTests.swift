import TransitKafka
import Testing

@Suite("Clear errors", .timeLimit(.minutes(1)))
struct ErrorTests {
    @Test func unknownPropertyFailsAtConstructionWithLibrdkafkasMessage() throws {
        var client = try TestKafka.client
        client.rawProperties["no.such.property"] = "1"
        let error = try #require(throws: KafkaError.self) {
            try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: TestKafka.logger)
        }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("no.such.property"))
        #expect(error.message.contains("No such configuration property"))
    }

    @Test func invalidValueFailsAtConstruction() throws {
        var client = try TestKafka.client
        client.rawProperties["session.timeout.ms"] = "not-a-number"
        let error = try #require(throws: KafkaError.self) {
            try KafkaConsumer(configuration: KafkaConsumerConfiguration(client: client, groupID: "g"), logger: TestKafka.logger)
        }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("session.timeout.ms"))
    }

    @Test func unreachableBrokerFailsWithinTheConfiguredTimeout() async throws {
        // Port 1 on loopback: nothing listens there, connections are refused at once.
        let client = KafkaClientConfiguration(bootstrapServers: ["127.0.0.1:1"])
        let clock = ContinuousClock()

        let admin = try KafkaAdmin(configuration: client, logger: TestKafka.logger)
        let start = clock.now
        let metadataError = await #expect(throws: KafkaError.self) { try await admin.listTopics(timeout: .seconds(2)) }
        // Bounded by the 2 s asked for, not by a default (30 s and more); the ceiling leaves room
        // for a loaded machine.
        #expect(clock.now - start < .seconds(20))
        #expect(metadataError?.isRetriable == true)

        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: client, deliveryTimeout: .seconds(2)), logger: TestKafka.logger)
        let sendStart = clock.now
        let sendError = await #expect(throws: KafkaError.self) {
            try await producer.send(KafkaProducerMessage(topic: "t", key: "k", value: [1]))
        }
        #expect(clock.now - sendStart < .seconds(20), "bounded by the 2 s delivery time-out, not the 300 s default")
        #expect(sendError?.code == .timedOut)
        #expect(sendError?.message.contains("Connection refused") == true, "\(String(describing: sendError))")
    }
}
