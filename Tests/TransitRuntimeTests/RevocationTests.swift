import Foundation
import Synchronization
import TransitDemo
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire
import Testing
import TransitTestSupport

/// A worker reads its next batch while it writes the current one; a revocation that arrives in that
/// read waits for the batch being written, and what was read ahead for a revoked partition is dropped.
@Suite("Revocation during a batch", .timeLimit(.minutes(3)))
struct RevocationTests {
    @Test func rebalanceWhileABatchIsWrittenLosesAndDoublesNothing() async throws {
        let (input, output, topics) = try await RuntimeTestSupport.topics("revoke", partitions: 2)
        let (path, storeA, storeB) = try await RuntimeTestSupport.sharedSQLite()
        defer { RuntimeTestSupport.removeSQLite(path) }
        let group = RuntimeTestSupport.unique("g")
        let total = 1_200
        try await RuntimeTestSupport.publish(
            (0..<total).map { RuntimeTestSupport.event("r-\($0)", patient: "p-\($0 % 20)") }, to: input)

        // A writes slowly (about 1 s per batch of 50 until B has taken a partition over, about
        // 200 ms after), so it is almost always inside a transaction when B joins and the group
        // takes partitions away from it, and it cannot finish the input alone before the rebalance
        // ends (1,100 records at 20 ms; the rebalance takes about 5 s on a quiet machine, and longer
        // batches make it longer).
        let gate = SlowdownGate()
        let slow = SlowHandler(inner: ExampleHandler(inputTopic: input, outputTopic: output), gate: gate)
        let a = try startWorker(slow, store: storeA, topics: topics, group: group)
        defer { a.task.cancel() }
        try await waitUntil("worker A to handle 100 records", saw: { "\(a.worker.stats.handled)" }) { a.worker.stats.handled >= 100 }
        let b = try startWorker(ExampleHandler(inputTopic: input, outputTopic: output), store: storeB, topics: topics, group: group)
        defer { b.task.cancel() }
        try await waitUntil("worker B to take a partition over", saw: { "A handled \(a.worker.stats.handled), B \(b.worker.stats.handled)" }) {
            b.worker.stats.handled > 0
        }
        gate.open()

        let outputs = try await RuntimeTestSupport.read(output, timeout: .seconds(90)) {
            Set(RuntimeTestSupport.outputIDs($0)).count >= total
        }
        expectExactly(RuntimeTestSupport.outputIDs(outputs), (0..<total).map { "r-\($0)/out" })
        // Each event was handled once across both workers. (Records read again after the
        // rebalance are skipped as duplicates: the local broker reports every member's assignment
        // as lost when another joins, so the commit before the revocation is refused.)
        #expect(a.worker.stats.handled + b.worker.stats.handled == total)
        #expect(try await RuntimeTestSupport.patientCounts(storeA, patients: 20) == Array(repeating: total / 20, count: 20))
        b.worker.stop()
        try await b.task.value
        a.worker.stop()
        try await a.task.value
    }

    private func startWorker<Handler: TransitHandler>(
        _ handler: Handler, store: any TransitStore, topics: TransitTopics, group: String
    ) throws -> (worker: Worker<Handler>, task: Task<Void, any Error>) {
        let client = try RuntimeTestSupport.client
        let producer = try RuntimeTestSupport.producer(linger: .milliseconds(1))
        let relay = OutboxRelay(store: store, producer: producer, logger: RuntimeTestSupport.logger)
        let worker = Worker(
            handler: handler, store: store, relay: relay, client: client, topics: topics,
            options: WorkerOptions(batchSize: 50, groupID: group), logger: RuntimeTestSupport.logger)
        return (worker, Task { try await worker.run() })
    }
}

/// Opened once the second worker has taken a partition over; until then ``SlowHandler`` is slower.
private final class SlowdownGate: Sendable {
    private let opened = Atomic<Bool>(false)
    func open() { opened.store(true, ordering: .relaxed) }
    /// The pause before each record: 20 ms while closed, 4 ms once open.
    var pause: TimeInterval { opened.load(ordering: .relaxed) ? 0.004 : 0.02 }
}

/// The example handler, pausing before each record (inside the batch's transaction).
private struct SlowHandler: TransitHandler {
    let inner: ExampleHandler
    let gate: SlowdownGate

    var inputTopics: [String] { inner.inputTopics }
    var outputTopics: [String] { inner.outputTopics }

    func decode(_ message: KafkaConsumerMessage) throws(HandlerFailure) -> DecodedRecord<EnrollmentEvent> {
        try inner.decode(message)
    }

    var name: String { inner.name }
    func handle(_ record: DecodedRecord<EnrollmentEvent>, transaction: any StoreTransaction, context: inout HandlerContext) throws {
        Thread.sleep(forTimeInterval: gate.pause)
        try inner.handle(record, transaction: transaction, context: &context)
    }
}
