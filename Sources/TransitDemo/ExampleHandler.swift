import TransitKafka
import TransitRPC
import TransitRuntime
import TransitStore
import TransitWire

/// The reference handler used by the runtime's fault tests and by `trialtransit-bench pipeline`.
///
/// It consumes `EnrollmentEvent`s, counts events per patient in the store, takes one unit of the
/// shared counter `example-slots` for every `PatientReferred`, and emits one `TrialAccessEvent` per
/// input whose `event_id` is `<input event id>/out` (so effects can be counted by event id) and whose
/// `occurred_at` is the input's (so latency can be measured end to end): a
/// `SlotReserved` when a unit was taken, otherwise an `EnrollmentStatusChanged`.
public struct ExampleHandler: TransitHandler {
    public let name: String
    public let inputTopics: [String]
    /// Where outputs go.
    public let outputTopic: String
    public var outputTopics: [String] { [outputTopic] }
    /// Capacity of the shared `example-slots` counter.
    public let slotCapacity: Int

    public init(name: String = "example", inputTopic: String, outputTopic: String, slotCapacity: Int = 1_000_000) {
        self.name = name
        self.inputTopics = [inputTopic]
        self.outputTopic = outputTopic
        self.slotCapacity = slotCapacity
    }

    /// The shared counter the handler reserves from.
    public static let slotCounter = "example-slots"

    public func decode(_ message: KafkaConsumerMessage) throws(HandlerFailure) -> DecodedRecord<EnrollmentEvent> {
        let event: EnrollmentEvent
        do {
            event = try EnrollmentEvent(wireBytes: message.value)
        } catch {
            throw .decodeFailed("value is not a trialtransit.v1.EnrollmentEvent: \(error.code)")
        }
        guard !event.eventId.isEmpty else { throw .invalid("event_id is empty") }
        guard event.body != nil else { throw HandlerFailure(code: "NO_BODY", reason: "envelope has no body") }
        return DecodedRecord(eventID: event.eventId, input: event)
    }

    /// The per-patient count, read ahead for the whole batch.
    public func stateReads(for record: DecodedRecord<EnrollmentEvent>) -> [StateRead] {
        [StateRead(namespace: name, key: record.input.patientRef)]
    }

    public func handle(
        _ record: DecodedRecord<EnrollmentEvent>, transaction: any StoreTransaction, context: inout HandlerContext
    ) throws {
        let event = record.input
        let count = try transaction.state(namespace: name, key: event.patientRef).map(Self.decodeCount) ?? 0
        var reserved = false
        if case .patientReferred = event.body {
            if try transaction.counter(Self.slotCounter) == nil {
                try transaction.setCapacity(counter: Self.slotCounter, capacity: slotCapacity)
            }
            reserved = try transaction.reserve(counter: Self.slotCounter, amount: 1)
        }
        try transaction.setState(namespace: name, key: event.patientRef, value: Self.encodeCount(count + 1))

        var output = TrialAccessEvent()
        output.eventId = record.eventID + "/out"
        output.occurredAt = event.occurredAt  // carried over, so benchmarks can measure end-to-end latency
        output.source = name
        output.patientRef = event.patientRef
        if reserved {
            output.body = .slotReserved(SlotReserved(trialId: "example", siteId: "example-site", slotId: record.eventID))
        } else {
            output.body = .enrollmentStatusChanged(EnrollmentStatusChanged(trialId: "example", reasonCodes: ["SEEN_\(count + 1)"]))
        }
        context.emit(topic: outputTopic, key: event.patientRef, value: output.wireBytes())
    }

    static func encodeCount(_ count: Int) -> [UInt8] {
        withUnsafeBytes(of: UInt64(count).littleEndian) { Array($0) }
    }

    static func decodeCount(_ bytes: [UInt8]) -> Int {
        guard bytes.count == 8 else { return 0 }
        return Int(bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }.littleEndian)
    }
}
