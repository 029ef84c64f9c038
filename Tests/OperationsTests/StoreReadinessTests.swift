import Foundation
import Testing
import TransitHTTP
import TransitKafka
import TransitTestSupport
import TransitWire

extension OperationsTests {
    /// A worker whose PostgreSQL store is stopped retries its transaction with backoff; once the
    /// failures outlast `--store-retry-budget`, `/readyz` answers 503 naming the worker's store
    /// check and the error, and 200 again once the store is back and the input was handled.
    @Test func readinessReportsAStoreFailingBeyondItsRetryBudget() async throws {
        let postgres = try await OwnPostgres.start()
        defer { Task { await postgres.stop() } }
        let port = try freeTCPPort()
        let input = Ops.unique("http-store-in"), output = Ops.unique("http-store-out")
        try await KafkaAdmin(configuration: try TestEnvironment.client, logger: Ops.logger).createTopics([
            KafkaTopicSpecification(name: input, partitions: 1), KafkaTopicSpecification(name: output, partitions: 1),
        ])
        let worker = try HTTPWorkerProcess.start(
            ["worker", "example", "--brokers", try Ops.brokers, "--local-broker", "--store", postgres.url,
             "--store-retry-budget", "2", "--input-topic", input, "--output-topic", output,
             "--topic-prefix", Ops.unique("http-store") + ".", "--http-port", String(port)])
        defer { worker.stop() }
        try await worker.waitUntilReady(port: port)

        try await postgres.stopKeepingData()
        // An input makes the loop write a transaction, which fails until the store is back.
        var event = EnrollmentEvent()
        event.eventId = Ops.unique("e")
        event.patientRef = "p-store"
        event.source = "test"
        event.occurredAt = 1
        event.body = .visitCompleted(VisitCompleted(visitId: "v-1"))
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: try TestEnvironment.client), logger: Ops.logger)
        try await producer.send(KafkaProducerMessage(topic: input, key: event.patientRef, value: event.wireBytes()))
        try await producer.close()

        var last = "no answer yet"
        try await waitUntil("/readyz to answer 503 naming the worker's store calls", saw: { "\(last)\n\(worker.output)" }) {
            let answer = try await onOwnThread { try ProbeClient.get("/readyz", port: port) }
            last = "\(answer.status) \(answer.body)"
            return answer.status == 503 && answer.body.contains("\"example.store\"") && answer.body.contains("retry budget 2 s")
        }
        #expect(last.contains("unavailable"), "the reason names the error: \(last)")
        try await postgres.startAgain()
        try await worker.waitUntilReady(port: port)
        _ = try await readTopic(output) { $0.count >= 1 }
        worker.stop()
        await postgres.stop()  // the deferred stop may not run before the test process exits
    }

    /// SIGTERM while the store is down: the graceful shutdown cannot flush the outbox, so it is
    /// cancelled after its limit and the process exits (it hung before, retrying the store for
    /// ever). Nothing is lost: the input's offset was not committed.
    @Test func aGracefulShutdownDuringAStoreOutageEndsWithinItsLimit() async throws {
        let postgres = try await OwnPostgres.start()
        defer { Task { await postgres.stop() } }
        let port = try freeTCPPort()
        let input = Ops.unique("http-stop-in"), output = Ops.unique("http-stop-out")
        try await KafkaAdmin(configuration: try TestEnvironment.client, logger: Ops.logger).createTopics([
            KafkaTopicSpecification(name: input, partitions: 1), KafkaTopicSpecification(name: output, partitions: 1),
        ])
        let worker = try HTTPWorkerProcess.start(
            ["worker", "example", "--brokers", try Ops.brokers, "--local-broker", "--store", postgres.url,
             "--store-retry-budget", "1", "--input-topic", input, "--output-topic", output,
             "--topic-prefix", Ops.unique("http-stop") + ".", "--http-port", String(port)])
        defer { worker.stop() }
        try await worker.waitUntilReady(port: port)

        try await postgres.stopKeepingData()
        var event = EnrollmentEvent()
        event.eventId = Ops.unique("e")
        event.patientRef = "p-stop"
        event.source = "test"
        event.occurredAt = 1
        event.body = .visitCompleted(VisitCompleted(visitId: "v-1"))
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: try TestEnvironment.client), logger: Ops.logger)
        try await producer.send(KafkaProducerMessage(topic: input, key: event.patientRef, value: event.wireBytes()))
        try await producer.close()
        var last = "no answer yet"
        try await waitUntil("/readyz to name the worker's failing store calls", saw: { "\(last)\n\(worker.output)" }) {
            let answer = try await onOwnThread { try ProbeClient.get("/readyz", port: port) }
            last = "\(answer.status) \(answer.body)"
            return answer.status == 503 && answer.body.contains("\"example.store\"")
        }

        worker.terminate()
        try await waitUntil("the process to exit after SIGTERM", timeout: .seconds(60), saw: { worker.output }) {
            !worker.isRunning
        }
        await postgres.stop()
    }
}
