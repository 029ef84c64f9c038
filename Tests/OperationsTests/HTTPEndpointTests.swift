import Foundation
import Testing
import TransitHTTP
import TransitKafka
import TransitRPC
import TransitTestSupport

extension OperationsTests {
    /// `trialtransit run --http-port`: `/readyz` turns 200, the counters of `/metrics` move with
    /// the inputs (a dead letter counted by its code), librdkafka's statistics show the consumer
    /// lag of the input partitions, broker round trips and producer queues, and `trialtransit health`
    /// exits 0 against the running process and 1 once it stopped.
    @Test func runServesHealthReadinessAndMetrics() async throws {
        let partitions = 3
        let topics = try await Ops.contractTopics("http", partitions: partitions)
        let port = try freeTCPPort()
        let store = Ops.sqlitePath()
        defer { Ops.removeSQLite(store) }
        let worker = try HTTPWorkerProcess.start(
            ["run", "--brokers", try Ops.brokers, "--local-broker", "--store", "sqlite:" + store,
             "--topic-prefix", topics.prefix, "--http-port", String(port), "--statistics-interval", "0.5",
             "--catalog", TestEnvironment.repositoryRoot + "/samples/catalog.json",
             "--partners", TestEnvironment.repositoryRoot + "/samples/partners.json"])
        defer { worker.stop() }
        try await worker.waitUntilReady(port: port)

        let health = try await Ops.cli(["health", "--http-port", String(port)])
        #expect(health.status == 0, "\(health)")
        #expect(health.lines.count == 1 && health.stdout.hasPrefix("healthy"), "\(health)")

        // `topics ensure` above made no partner topics: `run` creates those of its partner file.
        let listed = try await Ops.ops(["topics", "list", "--all", "--topic-prefix", topics.prefix])
        for partner in ["metro-taxi", "careways-medical"] {
            for topic in [topics.partnerRequests(partner), topics.partnerUpdates(partner), topics.partnerFeedback(partner)] {
                let line = listed.lines.first { $0.split(separator: " ").first.map(String.init) == topic }
                #expect(line != nil && line?.contains("missing") == false, "\(topic) in\n\(listed)")
            }
        }

        let before = try await PrometheusText.scrape(port: port)
        let inputs = HTTPEndpointFixtures(run: Ops.unique("r"), topics: topics)
        let referral = inputs.referral()
        _ = try await Ops.publish(
            [referral, referral, inputs.undecodable()] + inputs.consents() + [inputs.travelRequest(), inputs.screeningVisit()])

        let consumed = ["worker": "trial-access", "topic": topics.enrollmentEvents]
        let deadLetters = ["worker": "trial-access", "code": "DECODE_FAILED"]
        var after = before
        try await waitUntil("the counters to move in /metrics", saw: { "before:\n\(before)\nafter:\n\(after)" }) {
            after = try await PrometheusText.scrape(port: port)
            return after.sum("trialtransit_records_consumed_total", consumed) >= before.sum("trialtransit_records_consumed_total", consumed) + 6
                && after.sum("trialtransit_dead_letters_total", deadLetters) == before.sum("trialtransit_dead_letters_total", deadLetters) + 1
                && after.sum("trialtransit_duplicates_skipped_total", ["worker": "trial-access"]) >= 1
                && after.sum("trialtransit_enrollment_decisions_total", ["state": "eligible"]) >= before.sum("trialtransit_enrollment_decisions_total", ["state": "eligible"]) + 1
                && after.sum("trialtransit_rides_total", ["status": "offered"]) >= before.sum("trialtransit_rides_total", ["status": "offered"]) + 1
                && after.sum("trialtransit_partner_offers_total", ["outcome": "offered"]) >= 1
                && after.sum("trialtransit_events_handled_total", ["worker": "transport"]) >= 1
        }
        #expect(after.sum("trialtransit_events_handled_total", ["worker": "trial-access"]) >= before.sum("trialtransit_events_handled_total", ["worker": "trial-access"]) + 5, "\(after)")
        #expect(after.sum("trialtransit_batch_duration_seconds_count", ["worker": "trial-access"]) > before.sum("trialtransit_batch_duration_seconds_count", ["worker": "trial-access"]), "\(after)")
        // librdkafka's statistics: the lag of every input partition of the group, down to 0 once
        // the inputs are handled and committed; round trips to the broker; the producers' queues.
        let lagged = ["topic": topics.enrollmentEvents]
        try await waitUntil("statistics gauges in /metrics", saw: { "\(after)" }) {
            after = try await PrometheusText.scrape(port: port)
            return after.count("trialtransit_consumer_lag", lagged) == partitions && after.sum("trialtransit_consumer_lag", lagged) == 0
                && after.sum("trialtransit_kafka_broker_rtt_seconds") > 0
                && after.count("trialtransit_kafka_producer_queue_messages") >= 1
        }
        // No personal data in any label: the patient ref and event ids are nowhere on the page.
        let page = try await onOwnThread { try ProbeClient.get("/metrics", port: port) }.body
        #expect(!page.contains(inputs.patientRef) && !page.contains(inputs.run), "\(page)")

        worker.stop()
        let stopped = try await Ops.cli(["health", "--http-port", String(port)])
        #expect(stopped.status == 1, "\(stopped)")
        #expect(stopped.stdout.hasPrefix("unhealthy: nothing answers"), "\(stopped)")
    }

    /// `/readyz` answers 503 naming the broker while the worker's broker is stopped, and 200 again
    /// once it is back; `/healthz` stays 200 meanwhile (the loop waits on the broker).
    @Test func readinessFollowsTheBroker() async throws {
        let broker = try await OwnBroker.start()
        defer { Task { await broker.stop() } }
        let port = try freeTCPPort()
        let store = Ops.sqlitePath()
        defer { Ops.removeSQLite(store) }
        let input = Ops.unique("http-example-in"), output = Ops.unique("http-example-out")
        try await KafkaAdmin(configuration: broker.client, logger: Ops.logger).createTopics([
            KafkaTopicSpecification(name: input, partitions: 1), KafkaTopicSpecification(name: output, partitions: 1),
        ])
        let worker = try HTTPWorkerProcess.start(
            ["worker", "example", "--brokers", broker.address, "--local-broker", "--store", "sqlite:" + store,
             "--input-topic", input, "--output-topic", output, "--topic-prefix", Ops.unique("http-own") + ".",
             "--http-port", String(port)])
        defer { worker.stop() }
        try await worker.waitUntilReady(port: port)

        try await broker.stopKeepingData()
        var last = "no answer yet"
        try await waitUntil("/readyz to answer 503 naming the broker", saw: { last }) {
            let answer = try await onOwnThread { try ProbeClient.get("/readyz", port: port) }
            last = "\(answer.status) \(answer.body)"
            return answer.status == 503 && answer.body.contains("\"broker\"")
        }
        let live = try await onOwnThread { try ProbeClient.get("/healthz", port: port) }
        #expect(live.status == 200, "\(live)")
        try await broker.startAgain()
        try await worker.waitUntilReady(port: port)
    }
}

/// A worker process started by a test, with its output kept for the failure message.
final class HTTPWorkerProcess: Sendable {
    private let process: Process
    private let outputPath: String

    private init(process: Process, outputPath: String) {
        self.process = process
        self.outputPath = outputPath
    }

    static func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> HTTPWorkerProcess {
        let outputPath = NSTemporaryDirectory() + Ops.unique("http-worker") + ".log"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Ops.executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TRIALTRANSIT_LOG_LEVEL"] = "warning"
        environment.removeValue(forKey: "TRIALTRANSIT_HTTP_PORT")
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let output = FileHandle(forWritingAtPath: outputPath)!
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return HTTPWorkerProcess(process: process, outputPath: outputPath)
    }

    /// What the process printed so far.
    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }

    /// Waits for `/readyz` to answer 200; throws with the last answer and the process's output.
    func waitUntilReady(port: Int) async throws {
        var last = "no answer yet"
        try await waitUntil("/readyz to answer 200", saw: { "\(last)\n--- process output\n\(self.output)" }) {
            guard self.process.isRunning else { throw TestFailure("the process exited: \(self.output)") }
            do {
                let answer = try await onOwnThread { try ProbeClient.get("/readyz", port: port) }
                last = "\(answer.status) \(answer.body)"
                return answer.status == 200
            } catch {
                last = "\(error)"
                return false
            }
        }
    }

    /// Whether the process still runs.
    var isRunning: Bool { process.isRunning }

    /// Sends SIGTERM (a graceful shutdown) without waiting.
    func terminate() { process.terminate() }

    /// Stops the process gracefully (SIGTERM) and waits for it (killed after a while); removes its output.
    func stop() {
        process.stopGracefully()
        try? FileManager.default.removeItem(atPath: outputPath)
    }
}
