import ArgumentParser
internal import CKafkaBaseline
import Logging
import TransitCommandLine
import TransitKafka
import TransitRPC
import TransitWire

/// `bench rpc`: sequential Health/Check round trips through the broker, beside a plain librdkafka
/// produce -> consume -> reply loop with the same settings.
struct RPCBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc",
        abstract: "Health/Check round-trip latency vs a plain librdkafka request/reply loop.",
        discussion: """
            Runs an RPC server and client in this process, makes --calls sequential Health/Check calls, then \
            the same number of round trips with a plain C loop (server thread + client, linger 0, fetch wait \
            5 ms, idempotent producers, like the Swift side). Prints p50/p99 of both and ratio = p99/raw_p99.
            Example: trialtransit-bench rpc --brokers 127.0.0.1:9092 --calls 2000
            """
    )

    @OptionGroup var broker: BrokerOptions

    @Option(help: "Sequential calls per side.")
    var calls = 2_000

    func validate() throws {
        guard calls >= 10 else { throw ValidationError("--calls must be at least 10") }
    }

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        var client = try broker.clientConfiguration(clientID: "bench-rpc")
        client.receiveMessageMaxBytes = 2_147_483_647
        let run = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let topics = TransitTopics(prefix: "bench-rpc-\(run).")

        let swift = try await measureSwift(client: client, topics: topics, logger: logger)
        print("swift: \(calls) calls p50_ms=\(format(percentile(swift, 0.50))) p99_ms=\(format(percentile(swift, 0.99)))")
        let raw = try await measureRaw(client: client, run: run, logger: logger)
        print("raw:   \(calls) calls p50_ms=\(format(percentile(raw, 0.50))) p99_ms=\(format(percentile(raw, 0.99)))")
        let ratio = percentile(swift, 0.99) / percentile(raw, 0.99)
        print(
            "p50_ms=\(format(percentile(swift, 0.50))) p99_ms=\(format(percentile(swift, 0.99))) "
                + "raw_p50_ms=\(format(percentile(raw, 0.50))) raw_p99_ms=\(format(percentile(raw, 0.99))) ratio=\(BenchFormat.ratio(ratio))")
    }

    private func measureSwift(client: KafkaClientConfiguration, topics: TransitTopics, logger: Logger) async throws -> [Double] {
        let health = HealthStatus(services: [HealthService.name])
        health.set(.serving)
        var router = RPCRouter<Void>()
        router.registerHealth(health, knownServices: [HealthService.name])
        let server = try RPCServer(router: router, client: client, groupID: nil, topics: topics, logger: logger)
        let rpc = try RPCClient(client: client, clientID: "bench", topics: topics, logger: logger)
        let serverTask = Task { try await server.run() }
        let clientTask = Task { try await rpc.run() }
        defer {
            serverTask.cancel()
            clientTask.cancel()
        }
        // The server reads from the end of its topic: wait until it answers.
        var ready = false
        for _ in 0..<100 where !ready {
            ready = (try? await rpc.call(HealthService.check, HealthCheckRequest(), deadline: .milliseconds(300))) != nil
        }
        guard ready else { throw ValidationError("the RPC server did not answer") }
        let clock = ContinuousClock()
        var latencies: [Double] = []
        latencies.reserveCapacity(calls)
        for _ in 0..<calls {
            let start = clock.now
            let response = try await rpc.call(HealthService.check, HealthCheckRequest(), deadline: .seconds(5))
            latencies.append((clock.now - start) / .milliseconds(1))
            guard response.status == .serving else { throw ValidationError("unexpected status \(response.status)") }
        }
        return latencies
    }

    private func measureRaw(client: KafkaClientConfiguration, run: String, logger: Logger) async throws -> [Double] {
        let requestTopic = "bench-rpc-\(run).raw.requests"
        let replyTopic = "bench-rpc-\(run).raw.replies"
        let admin = try KafkaAdmin(configuration: client, logger: logger)
        try await admin.createTopics([
            KafkaTopicSpecification(name: requestTopic, partitions: 1), KafkaTopicSpecification(name: replyTopic, partitions: 1),
        ])
        let properties = [
            "linger.ms": "0", "fetch.wait.max.ms": "5", "enable.idempotence": "true", "log_level": "3",
            "receive.message.max.bytes": String(client.receiveMessageMaxBytes), "enable.auto.commit": "false",
        ]
        var latencies = [Double](repeating: 0, count: calls)
        var out = tt_baseline_result()
        let brokers = client.bootstrapServers.joined(separator: ",")
        let count = Int32(calls)
        let rc = RawBaseline.withProperties(properties) { props in
            latencies.withUnsafeMutableBufferPointer { buffer in
                tt_baseline_rpc(brokers, requestTopic, replyTopic, count, props, buffer.baseAddress, &out)
            }
        }
        if rc != 0 {
            let text = withUnsafeBytes(of: &out.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw ValidationError("raw librdkafka loop failed: \(text)")
        }
        try? await admin.deleteTopics([requestTopic, replyTopic])
        return latencies
    }

    private func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }

    private func format(_ value: Double) -> String {
        let thousandths = Int((value * 1000).rounded())
        return "\(thousandths / 1000).\(String(thousandths % 1000).leftPadded(to: 3))"
    }
}
