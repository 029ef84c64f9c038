import TransitKafka
import TransitSoak

/// What the soak sent: every input record, and the personal data that must stay out of logs.
struct SoakLedger: Sendable {
    var inputs: [SoakInput] = []
    var secrets: Set<String> = []
}

/// Sends journeys until the end of the run: a new one every `spacing`, each journey's steps a
/// little apart, several journeys interleaved. A send that fails (broker restarting) is retried:
/// the same record again, which the workers must take once.
struct SoakSender: Sendable {
    let producer: KafkaProducer
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
            ledger.inputs += journey.steps.flatMap { $0.messages.map(\.input) }
            let producer = self.producer
            running.append(Task {
                for step in journey.steps {
                    try await Task.sleep(for: step.pause)
                    try await Self.send(step.messages, producer)
                }
            })
            try await Task.sleep(for: spacing)
        }
        for task in running { try await task.value }
        return ledger
    }

    private static func send(_ step: [SoakMessage], _ producer: KafkaProducer) async throws {
        let messages = step.map { KafkaProducerMessage(topic: $0.topic, key: $0.key, value: $0.value) }
        for attempt in 1...60 {
            do {
                try await producer.send(messages)
                return
            } catch where attempt < 60 {
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}
