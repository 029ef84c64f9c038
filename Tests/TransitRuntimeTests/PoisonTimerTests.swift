import Testing
import TransitTestSupport
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore

/// A handler whose timers emit their key to `outputTopic`, except a timer whose payload is
/// `[0xFF]`: that one always throws.
struct TimerProbeHandler: TransitHandler {
    let name: String
    let inputTopics: [String]
    let outputTopic: String

    struct Broken: Error {}

    func decode(_ message: KafkaConsumerMessage) throws(HandlerFailure) -> DecodedRecord<String> {
        DecodedRecord(eventID: "\(message.partition)/\(message.offset)", input: "")
    }

    func handle(_ record: DecodedRecord<String>, transaction: any StoreTransaction, context: inout HandlerContext) throws {}

    func fire(_ timer: DurableTimer, transaction: any StoreTransaction, context: inout HandlerContext) throws {
        if timer.payload == [0xFF] { throw Broken() }
        context.emit(topic: outputTopic, key: timer.key, value: Array(timer.key.utf8))
    }
}

/// Poison timers against the real broker and a real SQLite file: a timer whose handler keeps
/// failing is dead-lettered once (`TIMER_FAILED`) and removed, and the other timers fire.
@Suite("Poison timers", .timeLimit(.minutes(3)))
struct PoisonTimerTests {
    @Test func aTimerThatKeepsFailingIsDeadLetteredOnceAndTheOthersFire() async throws {
        let (input, output, topics) = try await RuntimeTestSupport.topics("poison-timer", partitions: 1)
        let (path, store) = try await RuntimeTestSupport.migratedSQLite()
        defer { RuntimeTestSupport.removeSQLite(path) }
        let name = RuntimeTestSupport.unique("timers")
        let good = (0..<20).map { "t-\($0)" }
        try await store.transaction { tx in
            try tx.schedule(DurableTimer(key: "poison", owner: name, fireAt: 1, payload: [0xFF]))
            for key in good { try tx.schedule(DurableTimer(key: key, owner: name, fireAt: 2, payload: [1])) }
        }
        let producer = try RuntimeTestSupport.producer(linger: .milliseconds(1))
        let relay = OutboxRelay(store: store, producer: producer, topics: topics, logger: RuntimeTestSupport.logger)
        let options = WorkerOptions(
            timerInterval: .milliseconds(50), backoff: Backoff(initial: .milliseconds(10), maximum: .milliseconds(50)), maxAttempts: 3,
            groupID: RuntimeTestSupport.unique("g"))
        let worker = Worker(
            handler: TimerProbeHandler(name: name, inputTopics: [input], outputTopic: output), store: store, relay: relay,
            client: try RuntimeTestSupport.client, topics: topics, options: options, logger: RuntimeTestSupport.logger)
        let task = Task { try await worker.run() }
        defer { task.cancel() }

        let fired = try await RuntimeTestSupport.read(output) { $0.count >= good.count }
        #expect(fired.map { String(decoding: $0.value, as: UTF8.self) }.sorted() == good.sorted())
        let letters = try await RuntimeTestSupport.read(topics.deadLetters) { $0.count >= 1 }
        #expect(letters.count == 1)
        let letter = try #require(letters.first)
        #expect(letter.headers.string(TransitHeaders.dlqErrorCode) == "TIMER_FAILED")
        #expect(letter.headers.string(TransitHeaders.dlqAttempts) == "3")
        #expect(letter.headers.string("dlq-timer-key") == "poison")
        #expect(letter.key.map(Array.init) == Array("poison".utf8))

        // Removed: later ticks find nothing due, and nothing more is dead-lettered.
        try await waitUntil("the timer dead-lettered") { worker.stats.timersDeadLettered >= 1 }
        let due = try await store.transaction { try $0.dueTimers(owner: name, now: .max, limit: 10) }
        #expect(due.isEmpty, "left: \(due.map(\.key))")
        // A sentinel input: once handled, later ticks have run past the removal (the timer is gone,
        // so no tick can dead-letter it again).
        try await RuntimeTestSupport.publish([RuntimeTestSupport.event("sentinel", patient: "p")], to: input)
        try await waitUntil("the sentinel handled", saw: { "\(worker.stats.handled) handled" }) { worker.stats.handled >= 1 }
        #expect(worker.stats.handled == 1, "the worker still runs")
        #expect(worker.stats.timersDeadLettered == 1)
        #expect(worker.stats.timersFired == good.count)
        let lettersAfter = try await readWholeTopic(topics.deadLetters)
        #expect(lettersAfter.count == 1)
        worker.stop()
        try await task.value
        try await producer.close()
    }
}
