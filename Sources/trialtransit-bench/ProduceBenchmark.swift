import ArgumentParser
import Logging
import TransitKafka

/// `bench produce`: a plain C producer loop and the Swift producer send the same messages.
struct ProduceBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Swift producer vs a plain C librdkafka producer loop, same settings.",
        discussion: """
            Per run, sends --messages messages of --size bytes to a fresh topic with a plain C \
            rd_kafka_producev loop, and the same with KafkaProducer.sendAndForget, both until every \
            delivery report arrived (idempotence on, linger 5 ms).
            Example: trialtransit-bench produce --brokers 127.0.0.1:9092 --messages 500000
            """
    )

    @OptionGroup var options: ThroughputOptions

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let client = try options.broker.clientConfiguration(clientID: "bench-produce")
        let configuration = KafkaProducerConfiguration(client: client)
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        var rawRates: [Double] = []
        var swiftRates: [Double] = []
        var topics: [String] = []
        for run in 1...options.runs {
            let rawTopic = "bench.produce.raw.\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
            let swiftTopic = "bench.produce.swift.\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
            topics += [rawTopic, swiftTopic]
            try await admin.createTopics([KafkaTopicSpecification(name: rawTopic, partitions: 1), KafkaTopicSpecification(name: swiftTopic, partitions: 1)])
            let raw = try RawBaseline.produce(
                brokers: client.bootstrapServers.joined(separator: ","), topic: rawTopic, count: options.messages,
                size: options.size, properties: configuration.librdkafkaProperties)
            rawRates.append(raw.rate)
            let swift = try await produce(topic: swiftTopic, configuration: configuration, logger: logger)
            swiftRates.append(swift)
            print("run \(run): raw_msgs_per_s=\(BenchFormat.rate(raw.rate)) swift_msgs_per_s=\(BenchFormat.rate(swift))")
        }
        try? await admin.deleteTopics(topics)
        let swift = BenchFormat.median(swiftRates)
        let raw = BenchFormat.median(rawRates)
        print(
            "messages=\(options.messages) size=\(options.size) swift_msgs_per_s=\(BenchFormat.rate(swift)) "
                + "raw_msgs_per_s=\(BenchFormat.rate(raw)) ratio=\(BenchFormat.ratio(swift / raw))")
    }

    private func produce(topic: String, configuration: KafkaProducerConfiguration, logger: Logger) async throws -> Double {
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        let payload = [UInt8](repeating: 0x78, count: options.size)
        let keys = (0..<1024).map { Array("key-\($0)".utf8) }
        let clock = ContinuousClock()
        let start = clock.now
        try await producer.sendAndForget((0..<options.messages).lazy.map {
            KafkaProducerMessage(topic: topic, key: keys[$0 % 1024], value: payload)
        })
        try await producer.flush(timeout: .seconds(120))
        let seconds = (clock.now - start) / .seconds(1)
        try await producer.close()
        guard producer.failedDeliveryCount == 0 else {
            throw ValidationError("\(producer.failedDeliveryCount) deliveries failed")
        }
        return Double(options.messages) / seconds
    }
}
