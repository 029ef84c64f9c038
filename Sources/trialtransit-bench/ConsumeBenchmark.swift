import ArgumentParser
import Logging
import TransitKafka

/// `bench consume`: a plain C consumer loop and the Swift consumer drain the same topic.
struct ConsumeBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Swift consumer vs a plain C librdkafka consumer loop on the same topic.",
        discussion: """
            Pre-produces --messages messages of --size bytes to a fresh topic, then per run reads them all \
            with a plain C rd_kafka_consumer_poll loop and with KafkaConsumer.poll batches, alternating.
            Example: trialtransit-bench consume --brokers 127.0.0.1:9092 --messages 1000000
            """
    )

    @OptionGroup var options: ThroughputOptions

    @Option(help: "Most messages per poll of the Swift consumer.")
    var batchSize = 1_000

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        var client = try options.broker.clientConfiguration(clientID: "bench-consume")
        client.receiveMessageMaxBytes = 2_147_483_647  // the local broker ignores fetch size limits
        let topic = "bench.consume.\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"

        try await BenchTopics.fill(topic, messages: options.messages, size: options.size, client: client, logger: logger)

        let consumerConfiguration = KafkaConsumerConfiguration(client: client)
        var rawRates: [Double] = []
        var swiftRates: [Double] = []
        for run in 1...options.runs {
            let raw = try RawBaseline.consume(
                brokers: client.bootstrapServers.joined(separator: ","), topic: topic, expected: options.messages,
                properties: consumerConfiguration.librdkafkaProperties.filter { $0.key != "group.id" })
            rawRates.append(raw.rate)
            let swift = try await drain(topic: topic, configuration: consumerConfiguration, logger: logger)
            swiftRates.append(swift)
            print("run \(run): raw_msgs_per_s=\(BenchFormat.rate(raw.rate)) swift_msgs_per_s=\(BenchFormat.rate(swift))")
        }
        try await BenchTopics.delete(topic, client: client, logger: logger)
        let swift = BenchFormat.median(swiftRates)
        let raw = BenchFormat.median(rawRates)
        print(
            "messages=\(options.messages) size=\(options.size) swift_msgs_per_s=\(BenchFormat.rate(swift)) "
                + "raw_msgs_per_s=\(BenchFormat.rate(raw)) ratio=\(BenchFormat.ratio(swift / raw))")
    }

    /// Reads the whole topic with the Swift consumer; returns messages per second from first to last.
    private func drain(topic: String, configuration: KafkaConsumerConfiguration, logger: Logger) async throws -> Double {
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        let partitions = try await consumer.metadata(topic: topic).first?.partitions ?? []
        try consumer.assign(partitions.map { KafkaTopicPartitionOffset(topic: topic, partition: $0.id, offset: KafkaOffset.beginning) })
        let clock = ContinuousClock()
        var received = 0
        var bytes = 0
        var first: ContinuousClock.Instant?
        var last = clock.now
        var idleSince = clock.now
        while received < options.messages {
            let batch = try await consumer.poll(maxMessages: batchSize, timeout: .milliseconds(100))
            let now = clock.now
            if batch.isEmpty {
                if now - idleSince > .seconds(30) { throw ValidationError("timed out after \(received) messages") }
                continue
            }
            if first == nil { first = now }
            for message in batch { bytes &+= message.valueCount }
            received += batch.count
            last = clock.now
            idleSince = last
        }
        try await consumer.close()
        precondition(bytes == options.messages * options.size, "payload bytes mismatch")
        let seconds = (last - (first ?? last)) / .seconds(1)
        return seconds > 0 ? Double(received) / seconds : 0
    }
}

/// Topic set-up for benchmarks.
enum BenchTopics {
    static func fill(_ topic: String, messages: Int, size: Int, client: KafkaClientConfiguration, logger: Logger) async throws {
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        try await admin.createTopics([KafkaTopicSpecification(name: topic, partitions: 1)])
        print("producing \(messages) messages of \(size) bytes to \(topic)")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client), logger: logger)
        let payload = [UInt8](repeating: 0x61, count: size)
        var sent = 0
        while sent < messages {
            let chunk = min(100_000, messages - sent)
            try await producer.sendAndForget((sent..<(sent + chunk)).lazy.map {
                KafkaProducerMessage(topic: topic, key: "key-\($0 % 1024)", value: payload)
            })
            sent += chunk
        }
        try await producer.close(timeout: .seconds(120))
        guard producer.failedDeliveryCount == 0 else {
            throw ValidationError("\(producer.failedDeliveryCount) messages could not be produced")
        }
    }

    static func delete(_ topic: String, client: KafkaClientConfiguration, logger: Logger) async throws {
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        try? await admin.deleteTopics([topic])
    }
}
