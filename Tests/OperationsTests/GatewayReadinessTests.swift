import Foundation
import Testing
import TransitHTTP
import TransitKafka
import TransitTestSupport

extension OperationsTests {
    /// The partner gateway's `/readyz` checks real things: with no broker behind `--brokers` it
    /// answers 503 naming the partner's group and the broker; against the test broker, once the
    /// partner's requests topic exists (the workers create it), it turns 200: the forwarder joined
    /// its group.
    @Test func partnerGatewayIsReadyOnlyOnceItsForwarderJoinedItsGroup() async throws {
        let folder = NSTemporaryDirectory() + Ops.unique("gateway-ready")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(String(repeating: "s", count: 40).utf8).write(to: URL(fileURLWithPath: folder + "/wh.secret"))
        let partnerFile: [String: Any] = [
            "version": 1,
            "partners": [
                [
                    "id": "wh-ready", "priority": 1,
                    "webhook": ["url": "https://partner.example/hooks", "key_id": "k1", "secret_file": "wh.secret"],
                ]
            ],
        ]
        try JSONSerialization.data(withJSONObject: partnerFile).write(to: URL(fileURLWithPath: folder + "/partners.json"))
        let prefix = Ops.unique("gateway-ready") + "."
        func gateway(brokers: String, httpPort: Int) throws -> HTTPWorkerProcess {
            try HTTPWorkerProcess.start([
                "partner-gateway", "--brokers", brokers, "--local-broker", "--topic-prefix", prefix,
                "--partners", folder + "/partners.json", "--store", "sqlite:\(folder)/\(Ops.unique("log")).sqlite",
                "--listen-host", "127.0.0.1", "--listen-port", String(try freeTCPPort()), "--http-port", String(httpPort),
            ])
        }

        let nowherePort = try freeTCPPort()
        let unreachable = try gateway(brokers: "127.0.0.1:\(try freeTCPPort())", httpPort: nowherePort)
        defer { unreachable.stop() }
        var last = "no answer yet"
        try await waitUntil("/readyz to answer 503 naming the group and the broker", saw: { "\(last)\n\(unreachable.output)" }) {
            guard let answer = try? await onOwnThread({ try ProbeClient.get("/readyz", port: nowherePort) }) else { return false }
            last = "\(answer.status) \(answer.body)"
            return answer.status == 503 && answer.body.contains("\"partner-gateway.wh-ready.group\"") && answer.body.contains("\"broker\"")
        }
        unreachable.stop()

        try await KafkaAdmin(configuration: try TestEnvironment.client, logger: Ops.logger).createTopics([
            KafkaTopicSpecification(name: prefix + "transport.partner.wh-ready.requests.v1", partitions: 1)
        ])
        let port = try freeTCPPort()
        let reachable = try gateway(brokers: try Ops.brokers, httpPort: port)
        defer { reachable.stop() }
        try await reachable.waitUntilReady(port: port)
        reachable.stop()
    }
}
