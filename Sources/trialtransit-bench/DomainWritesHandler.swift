import TransitDemo
import TransitKafka
import TransitRuntime
import TransitStore
import TransitWire

/// The reference handler plus the store writes and records of a domain worker's input, without its
/// decisions (docs/PERFORMANCE.md, "What the target asks"). The domain benchmarks measure it beside
/// the plain baseline to separate the cost of that durable work from the cost of the domain code.
struct DomainWritesHandler: TransitHandler {
    /// Whose writes, each 13 SQLite statements per input as counted on the domain worker.
    enum Pattern: Sendable {
        /// A trial-access referral: a catalogue-version counter read, a unit of a slot counter, a
        /// timer (never due) and two more records: 3 records per input.
        case referral
        /// A transport worker input, by thirds (a request, a `TravelNeeded`, the partner's answer):
        /// a booking read and written (120 bytes) and a partner row looked up on every input; an
        /// offer's timer scheduled on the second and removed on the third; two more records on the
        /// first two and one on the third: 2.67 records per input.
        case booking
    }

    let inner: ExampleHandler
    let pattern: Pattern

    var name: String { inner.name }
    var inputTopics: [String] { inner.inputTopics }
    var outputTopics: [String] { inner.outputTopics }

    static let versionCounter = "referral-writes-version"
    static let slotCounter = "referral-writes-slots"

    func decode(_ message: KafkaConsumerMessage) throws(HandlerFailure) -> DecodedRecord<EnrollmentEvent> {
        try inner.decode(message)
    }

    func stateReads(for record: DecodedRecord<EnrollmentEvent>) -> [StateRead] {
        inner.stateReads(for: record)
    }

    func handle(
        _ record: DecodedRecord<EnrollmentEvent>, transaction: any StoreTransaction, context: inout HandlerContext
    ) throws {
        try inner.handle(record, transaction: transaction, context: &context)
        let records: Int
        switch pattern {
        case .referral:
            _ = try transaction.counter(Self.versionCounter)
            if !(try transaction.reserve(counter: Self.slotCounter, amount: 1)) {
                try transaction.setCapacity(counter: Self.slotCounter, capacity: Int(Int32.max))
                _ = try transaction.reserve(counter: Self.slotCounter, amount: 1)
            }
            try transaction.schedule(timer(key: "hold/" + record.eventID, record))
            records = 2
        case .booking:
            let patient = record.input.patientRef
            _ = try transaction.state(namespace: "booking-writes", key: patient)
            _ = try transaction.state(namespace: "booking-writes-partner", key: patient)
            try transaction.setState(namespace: "booking-writes", key: patient, value: [UInt8](repeating: 0x2A, count: 120))
            // Event ids end in their index (`baseline-<n>`): the offer made at n is answered at n + 1.
            let index = record.eventID.split(separator: "-").last.flatMap { Int($0) } ?? 0
            switch index % 3 {
            case 1: try transaction.schedule(timer(key: "offer/\(index)", record))
            case 2: try transaction.cancelTimer(key: "offer/\(index - 1)")
            default: break
            }
            records = index % 3 == 2 ? 1 : 2
        }
        for number in 0..<records {
            var output = TrialAccessEvent()
            output.eventId = record.eventID + "/\(number)"
            output.occurredAt = record.input.occurredAt
            output.source = name
            output.patientRef = record.input.patientRef
            output.body = .slotReserved(SlotReserved(trialId: "example", siteId: "example-site", slotId: record.eventID))
            context.emit(topic: inner.outputTopic, key: record.input.patientRef, value: output.wireBytes())
        }
    }

    /// A timer of this handler that is never due.
    private func timer(key: String, _ record: DecodedRecord<EnrollmentEvent>) -> DurableTimer {
        DurableTimer(key: key, owner: name, fireAt: Int64.max / 2, payload: Array(record.eventID.utf8))
    }
}
