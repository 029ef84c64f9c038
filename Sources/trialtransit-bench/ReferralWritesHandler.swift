import TransitDemo
import TransitKafka
import TransitRuntime
import TransitStore
import TransitWire

/// The reference handler plus the store writes and records of a trial-access referral, without
/// its decisions: per input, besides the reference handler's count and output, it reads a
/// catalogue-version counter, reserves a unit of a slot counter, schedules a timer (never due) and
/// emits two more records, so 13 SQLite statements and 3 records per input, as the trial-access
/// worker's referral (docs/PERFORMANCE.md, "What the target asks"). `bench
/// trial-access --referral-writes` measures it to separate the cost of that work from the cost of
/// the domain code.
struct ReferralWritesHandler: TransitHandler {
    let inner: ExampleHandler

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
        _ = try transaction.counter(Self.versionCounter)
        if !(try transaction.reserve(counter: Self.slotCounter, amount: 1)) {
            try transaction.setCapacity(counter: Self.slotCounter, capacity: Int(Int32.max))
            _ = try transaction.reserve(counter: Self.slotCounter, amount: 1)
        }
        try transaction.schedule(
            DurableTimer(key: "hold/" + record.eventID, owner: name, fireAt: Int64.max / 2, payload: Array(record.eventID.utf8)))
        for suffix in ["/event", "/audit"] {
            var output = TrialAccessEvent()
            output.eventId = record.eventID + suffix
            output.occurredAt = record.input.occurredAt
            output.source = name
            output.patientRef = record.input.patientRef
            output.body = .slotReserved(SlotReserved(trialId: "example", siteId: "example-site", slotId: record.eventID))
            context.emit(topic: inner.outputTopic, key: record.input.patientRef, value: output.wireBytes())
        }
    }
}
