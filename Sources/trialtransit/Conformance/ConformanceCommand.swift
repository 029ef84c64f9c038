import ArgumentParser
import Logging
import TransitCommandLine
import TransitKafka
import TransitRPC
import TransitWire

#if canImport(Glibc)
import Glibc
#endif

/// `trialtransit conformance …`: the Swift side of the cross-language conformance suite
/// (Tests/Conformance). Hidden: a test tool, not an operations command.
struct ConformanceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conformance",
        abstract: "Swift side of the cross-language conformance tests (Tests/Conformance).",
        discussion: """
            Fixtures are defined in Sources/trialtransit/Conformance/ConformanceFixtures.swift and, \
            independently, in Tests/Conformance/fixtures.py. Records carry the headers `fixture: <name>` \
            and `type: <proto full name>`, and the fixture name as key.
            """,
        shouldDisplay: false,
        subcommands: [ConformanceProduceCommand.self, ConformanceVerifyCommand.self, ConformanceServeHealthCommand.self]
    )
}

/// Header names of conformance records.
enum ConformanceHeaders {
    static let fixture = "fixture"
    static let type = "type"
}

/// Prints a line and flushes stdout at once (a parent process reads it through a pipe).
func conformancePrint(_ line: String) {
    print(line)
    fflush(nil)  // every output stream: avoids touching the global `stdout` from concurrent code
}

/// Settings for a producer: the partitioner docs/CONTRACT.md §2 asks of every producer (a producer
/// property only: librdkafka warns when a consumer gets it).
func conformanceProducerClient(_ client: KafkaClientConfiguration) -> KafkaClientConfiguration {
    var client = client
    client.rawProperties["partitioner"] = "murmur2_random"
    return client
}

/// `trialtransit conformance produce --topic T`: one record per fixture.
struct ConformanceProduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Publish every Swift fixture (wireBytes) to a topic, keyed by fixture name.")

    @OptionGroup var broker: BrokerOptions

    @Option(help: "Topic to write to (created with 1 partition if missing).")
    var topic: String

    func run() async throws {
        let logger = CLILogging.logger(label: "trialtransit.conformance.produce")
        let client = try broker.clientConfiguration(clientID: "trialtransit-conformance")
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        try await admin.createTopics([KafkaTopicSpecification(name: topic, partitions: 1)])
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: conformanceProducerClient(client)), logger: logger)
        for name in ConformanceFixtures.names {
            let fixture = ConformanceFixtures.all[name]!
            let typeName = type(of: fixture).protoName
            let value = fixture.wireBytes()
            let report = try await producer.send(
                KafkaProducerMessage(
                    topic: topic, key: name, value: value,
                    headers: [
                        KafkaHeader(name: ConformanceHeaders.fixture, string: name),
                        KafkaHeader(name: ConformanceHeaders.type, string: typeName),
                    ]))
            conformancePrint(
                "produced \(name) type=\(typeName) bytes=\(value.count) at \(report.topic)/\(report.partition)@\(report.offset)")
        }
        try await producer.close()
    }
}

/// `trialtransit conformance verify --topic T --count N`: decodes and compares records.
struct ConformanceVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Read N records from the beginning of a topic and compare each with its Swift fixture.",
        discussion: """
            Prints `ok <name>` or `FAIL <name>: <why>` per record; exits 1 if any record failed or fewer \
            than N arrived within the timeout.
            """)

    @OptionGroup var broker: BrokerOptions

    @Option(help: "Topic to read from the beginning.")
    var topic: String

    @Option(help: "Number of records to read.")
    var count: Int

    @Option(help: "Seconds to wait for the records.")
    var timeout = 30

    func validate() throws {
        guard count > 0 else { throw ValidationError("--count must be positive") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let logger = CLILogging.logger(label: "trialtransit.conformance.verify")
        let client = try broker.clientConfiguration(clientID: "trialtransit-conformance")
        let deadline = ContinuousClock.now + .seconds(timeout)
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        let consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: client, groupID: nil, autoOffsetReset: .earliest),
            logger: logger)

        // The topic may still be on its way: retry its description until the deadline.
        var partitions: [KafkaPartitionMetadata] = []
        while true {
            if let described = try? await admin.describeTopic(topic), !described.partitions.isEmpty {
                partitions = described.partitions
                break
            }
            guard ContinuousClock.now < deadline else {
                conformancePrint("FAIL topic \(topic): not found within \(timeout) s")
                try await consumer.close()
                throw ExitCode(1)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        try consumer.assign(
            partitions.map { KafkaTopicPartitionOffset(topic: topic, partition: $0.id, offset: KafkaOffset.beginning) })

        var received = 0
        var failed = 0
        while received < count, ContinuousClock.now < deadline {
            let batch = try await consumer.poll(maxMessages: count - received, timeout: .milliseconds(200))
            for message in batch.prefix(count - received) {
                received += 1
                switch Self.check(message) {
                case .success(let name): conformancePrint("ok \(name)")
                case .failure(let failure):
                    failed += 1
                    conformancePrint("FAIL \(failure.name): \(failure.reason)")
                }
            }
        }
        try await consumer.close()
        if received < count {
            conformancePrint("FAIL missing: \(count - received) of \(count) records did not arrive within \(timeout) s")
        }
        conformancePrint("verified \(received - failed) of \(count) records")
        if failed > 0 || received < count { throw ExitCode(1) }
    }

    struct Failure: Error {
        var name: String
        var reason: String
    }

    /// Decodes one record with the type its `type` header names and compares it with its fixture.
    static func check(_ message: KafkaConsumerMessage) -> Result<String, Failure> {
        let location = "\(message.topic)/\(message.partition)@\(message.offset)"
        guard let name = message.headers.string(ConformanceHeaders.fixture) else {
            return .failure(Failure(name: location, reason: "no `fixture` header"))
        }
        guard let typeName = message.headers.string(ConformanceHeaders.type) else {
            return .failure(Failure(name: name, reason: "no `type` header"))
        }
        guard let expected = ConformanceFixtures.all[name] else {
            return .failure(Failure(name: name, reason: "no Swift fixture of that name"))
        }
        guard typeName == type(of: expected).protoName else {
            return .failure(
                Failure(name: name, reason: "type header \(typeName), the Swift fixture is \(type(of: expected).protoName)"))
        }
        guard let messageType = WireRegistry.messageType(named: typeName) else {
            return .failure(Failure(name: name, reason: "unknown message type \(typeName)"))
        }
        if message.keyString != name {
            return .failure(Failure(name: name, reason: "key \(message.keyString.map { "'\($0)'" } ?? "null"), expected '\(name)'"))
        }
        let decoded: any WireMessage
        do {
            decoded = try messageType.init(wireBytes: message.value)
        } catch {
            return .failure(Failure(name: name, reason: "does not decode as \(typeName): \(error)"))
        }
        guard conformanceEqual(decoded, expected) else {
            return .failure(
                Failure(
                    name: name,
                    reason: "decoded value differs from the fixture\n  expected: \(expected.jsonString())\n  decoded:  \(decoded.jsonString())"))
        }
        return .success(name)
    }
}

/// `trialtransit conformance serve-health`: a Health/Check server until SIGTERM.
struct ConformanceServeHealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-health",
        abstract: "Serve trialtransit.v1.Health/Check over Kafka (SERVING) until SIGTERM or SIGINT.")

    @OptionGroup var broker: BrokerOptions
    @OptionGroup var topics: TopicOptions

    func run() async throws {
        let logger = CLILogging.logger(label: "trialtransit.conformance.health")
        // The server's own producer settings (TransitRPC decides them), unchanged.
        let client = try broker.clientConfiguration(clientID: "trialtransit-conformance-health")
        let health = HealthStatus(services: [HealthService.descriptor.name])
        health.set(.serving)
        var router = RPCRouter<Void>()
        router.registerHealth(
            health,
            knownServices: [
                TrialAccessService.descriptor.name, TransportBookingService.descriptor.name, HealthService.descriptor.name,
            ])
        let server = try RPCServer(router: router, client: client, groupID: nil, topics: topics.topics, logger: logger)
        let requestTopic = topics.topics.rpcRequests(service: HealthService.descriptor.name)
        try await ServiceRunner.run(
            [
                ClosureService(name: "health") {
                    conformancePrint("serving health on \(requestTopic)")
                    try await server.run()
                }
            ], logger: logger)
    }
}
