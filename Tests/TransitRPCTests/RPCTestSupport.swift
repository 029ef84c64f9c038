import Logging
import TransitKafka
import TransitRPC
import TransitWire
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

    /// Runs a Health server (no consumer group: every process answers) serving `services`, and a
    /// client; returns once the server answers, then runs `body` and stops both.
    static func withHealthServer(
        serving services: Set<String>, topics: TransitTopics, _ body: (RPCServer, RPCClient) async throws -> Void
    ) async throws {
        let health = HealthStatus(services: services)
        health.set(.serving)
        var router = RPCRouter<Void>()
        router.registerHealth(
            health,
            knownServices: [
                TrialAccessService.descriptor.name, TransportBookingService.descriptor.name, HealthService.descriptor.name,
            ])
        let server = try RPCServer(router: router, client: client, groupID: nil, topics: topics, logger: logger)
        let client = try RPCClient(client: client, clientID: uniqueName("test"), topics: topics, logger: logger)
        let serverTask = Task { try await server.run() }
        let clientTask = Task { try await client.run() }
        defer {
            serverTask.cancel()
            clientTask.cancel()
        }
        // The server reads from the topic's end: wait until it answers before testing.
        try await waitUntilHealthAnswers(client)
        try await body(server, client)
    }
}
