import TransitKafka
import TransitRPC
import TransitWire
import Testing
import TransitTestSupport

/// Client and server over the local broker.
@Suite("RPC over Kafka", .timeLimit(.minutes(2)))
struct RPCOverKafkaTests {
    private func withHealth(
        serving services: Set<String>, topics: TransitTopics, _ body: (RPCClient) async throws -> Void
    ) async throws {
        try await RPCTestSupport.withHealthServer(serving: services, topics: topics) { _, client in try await body(client) }
    }

    @Test func healthCheckAnswersServingForAServedService() async throws {
        try await withHealth(serving: [TrialAccessService.descriptor.name], topics: RPCTestSupport.topics()) { client in
            let response = try await client.call(
                HealthService.check, HealthCheckRequest(service: TrialAccessService.descriptor.name), deadline: .seconds(30))
            #expect(response.status == .serving)
            let whole = try await client.call(HealthService.check, HealthCheckRequest(), deadline: .seconds(30))
            #expect(whole.status == .serving)
        }
    }

    @Test func unknownServiceIsNotFoundAndAnotherWorkersServiceIsLeftToIt() async throws {
        try await withHealth(serving: [TrialAccessService.descriptor.name], topics: RPCTestSupport.topics()) { client in
            let unknown = await #expect(throws: RPCError.self) {
                try await client.call(HealthService.check, HealthCheckRequest(service: "acme.v1.Nope"), deadline: .seconds(30))
            }
            #expect(unknown?.code == .notFound)
            // The transport worker answers for TransportBooking; this process stays silent.
            let silent = await #expect(throws: RPCError.self) {
                try await client.call(
                    HealthService.check, HealthCheckRequest(service: TransportBookingService.descriptor.name),
                    deadline: .milliseconds(800))
            }
            #expect(silent?.code == .deadlineExceeded)
            #expect(client.pendingCalls == 0)
        }
    }

    @Test func unknownMethodOverKafkaIsUnimplemented() async throws {
        try await withHealth(serving: [], topics: RPCTestSupport.topics()) { client in
            let reply = try await client.send(
                "/trialtransit.v1.Health/Watch", service: HealthService.descriptor.name, body: [], key: nil,
                deadline: .seconds(30), idempotencyKey: nil, traceparent: nil)
            #expect(reply.headers.string(TransitHeaders.rpcStatus) == "12")
            #expect(reply.valueCount == 0)
        }
    }

    @Test func callWithoutServerTimesOutAtTheDeadlineAndLeavesNoWaiter() async throws {
        let topics = RPCTestSupport.topics()
        let client = try RPCClient(client: RPCTestSupport.client, clientID: "lonely", topics: topics, logger: RPCTestSupport.logger)
        let task = Task { try await client.run() }
        defer { task.cancel() }
        // The deadline runs from the call, once the client reads its reply topic (creating it can
        // take seconds on a busy broker).
        await client.waitUntilReady()
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: RPCError.self) {
            try await client.call(HealthService.check, HealthCheckRequest(), deadline: .milliseconds(700))
        }
        #expect(error?.code == .deadlineExceeded)
        #expect(clock.now - start >= .milliseconds(700))
        #expect(clock.now - start < .seconds(30), "ends at the deadline, not never (a loaded machine needs a margin)")
        #expect(client.pendingCalls == 0)
    }

    @Test func requestWithoutReplyToGoesToTheDeadLetterTopic() async throws {
        let topics = RPCTestSupport.topics()
        try await withHealth(serving: [], topics: topics) { _ in
            let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: RPCTestSupport.client), logger: RPCTestSupport.logger)
            try await producer.send(
                KafkaProducerMessage(
                    topic: topics.rpcRequests(service: HealthService.descriptor.name), key: nil, value: [],
                    headers: [KafkaHeader(name: TransitHeaders.rpcMethod, string: HealthService.check.path)]))
            try await producer.close()
            let letters = try await readTopic(topics.deadLetters) { !$0.isEmpty }
            let letter = try #require(letters.first)
            #expect(letter.headers.string(TransitHeaders.dlqErrorCode) == "NO_REPLY_TO")
            #expect(letter.headers.string(TransitHeaders.dlqSourceTopic) == topics.rpcRequests(service: HealthService.descriptor.name))
            #expect(letter.headers.string(TransitHeaders.rpcMethod) == HealthService.check.path)
        }
    }
}
