import Logging
import Synchronization
import TransitKafka
import TransitSoak

/// What the soak sent: every input record (a call by its command id), the answers of its calls
/// per command id, and the personal data that must stay out of logs.
struct SoakLedger: Sendable {
    var inputs: [SoakInput] = []
    var answers: [String: [[UInt8]]] = [:]
    var secrets: Set<String> = []
}

/// Sends journeys until the end of the run: a new one every `spacing`, each journey's steps a
/// little apart, several journeys interleaved. A send that fails (broker restarting) is retried:
/// the same record again, which the workers must take once.
struct SoakSender: Sendable {
    let producer: SoakProducer
    let caller: SoakCaller
    let journeys: SoakJourneys
    let spacing: Duration

    func send(until end: ContinuousClock.Instant) async throws -> SoakLedger {
        var generator = journeys
        var ledger = SoakLedger()
        var running: [Task<Void, any Error>] = []
        var number = 0
        let clock = ContinuousClock()
        while clock.now < end {
            number += 1
            let journey = generator.journey(number)
            ledger.secrets.insert(journey.patientRef)
            ledger.secrets.insert(journey.pickupAddress)
            if let call = journey.call {
                ledger.inputs.append(SoakInput(eventID: call.commandID, key: call.patientRef, kind: .referral))
            }
            ledger.inputs += journey.steps.flatMap { $0.messages.map(\.input) }
            let producer = self.producer
            let caller = self.caller
            running.append(Task {
                if let call = journey.call { try await caller.make(call) }
                for step in journey.steps {
                    try await Task.sleep(for: step.pause)
                    try await Self.send(step.messages, producer)
                }
            })
            try await Task.sleep(for: spacing)
        }
        for task in running { try await task.value }
        ledger.answers = caller.answers
        return ledger
    }

    private static func send(_ step: [SoakMessage], _ producer: SoakProducer) async throws {
        let messages = step.map { KafkaProducerMessage(topic: $0.topic, key: $0.key, value: $0.value) }
        for attempt in 1...60 {
            let current = producer.current
            do {
                try await current.send(messages)
                return
            } catch where attempt < 60 {
                // A restarted local broker forgets idempotent producer state: librdkafka then fails
                // for good (out of order sequence). Start a new producer and send again.
                try producer.replace(current)
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}

/// The soak's input producer, replaced by a new one after a send fails.
final class SoakProducer: Sendable {
    private let client: KafkaClientConfiguration
    private let logger: Logger
    private let producer: Mutex<KafkaProducer>
    private let old = Mutex<[KafkaProducer]>([])

    init(client: KafkaClientConfiguration, logger: Logger) throws {
        self.client = client
        self.logger = logger
        producer = Mutex(try Self.make(client, logger))
    }

    private static func make(_ client: KafkaClientConfiguration, _ logger: Logger) throws -> KafkaProducer {
        try KafkaProducer(configuration: KafkaProducerConfiguration(client: client, linger: .milliseconds(5)), logger: logger)
    }

    var current: KafkaProducer { producer.withLock { $0 } }

    /// Replaces `failed` unless another sender did already.
    func replace(_ failed: KafkaProducer) throws {
        let fresh = try Self.make(client, logger)
        let replaced = producer.withLock { current -> Bool in
            guard current === failed else { return false }
            current = fresh
            return true
        }
        if replaced { old.withLock { $0.append(failed) } }
    }

    func close() async {
        for producer in old.withLock({ $0 }) + [current] { try? await producer.close() }
    }
}
