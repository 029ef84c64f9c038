import Testing
import TransitKafka
import TransitRPC
import TransitTestSupport
import TransitWire

/// What the sender of an input learns on `enrollment.feedback.v1` (docs/CONTRACT.md §7).
@Suite("trial-access worker: feedback to senders", .serialized, .timeLimit(.minutes(5)))
struct SenderFeedbackTests {
    @Test("each dead-lettered input yields exactly one InputRejected, keyed like it, with its coordinates and code")
    func deadLettersYieldOneRejectionEach() async throws {
        try await withWorker("feedback-rejected") { topics, _ in
            let patient = TestBroker.unique("pt")
            let screening = Fixture.screeningPassed(patient)  // the enrollment is eligible, not in screening
            try await TestBroker.publishInOrder([Fixture.referral(patient), screening], topics: topics)
            try await TestBroker.publish([
                KafkaProducerMessage(topic: topics.enrollmentEvents, partition: 0, key: patient, value: [0xFF, 0x01])
            ])
            let letters = try await TestBroker.read(topics.deadLetters) { $0.count >= 2 }
            #expect(letters.count == 2)
            // A sentinel decided after the dead letters: their feedback, written in the same
            // transactions, was queued before the sentinel's outputs.
            let sentinel = TestBroker.unique("pt-sentinel")
            try await TestBroker.publishInOrder([Fixture.referral(sentinel)], topics: topics)
            _ = try await TestBroker.events(topics) { $0.latestState(of: sentinel) != nil }
            _ = try await TestBroker.read(topics.enrollmentFeedback) { $0.count >= 2 }
            let feedback = try await readWholeTopic(topics.enrollmentFeedback)

            #expect(feedback.count == 2, "\(feedback.map(\.offset))")
            for letter in letters {
                let offset = try #require(letter.headers.string(TransitHeaders.dlqSourceOffset).flatMap(Int64.init))
                let matching = try feedback.map { try InputFeedback(wireBytes: $0.value) }.filter {
                    if case .inputRejected(let rejected)? = $0.body { rejected.offset == offset } else { false }
                }
                let record = try #require(matching.first, "no feedback for offset \(offset)")
                #expect(matching.count == 1)
                guard case .inputRejected(let rejected)? = record.body else { continue }
                #expect(rejected.topic == topics.enrollmentEvents)
                #expect(String(rejected.partition) == letter.headers.string(TransitHeaders.dlqSourcePartition))
                #expect(rejected.reasonCode == letter.headers.string(TransitHeaders.dlqErrorCode))
                #expect(rejected.message == letter.headers.string(TransitHeaders.dlqError))
                #expect(record.source == "worker:trial-access")
                #expect(record.eventId == "feedback:\(topics.enrollmentEvents):\(rejected.partition):\(offset)")
                #expect(!rejected.message.contains(patient))
                if rejected.reasonCode == "DECODE_FAILED" {
                    #expect(rejected.inputEventId.isEmpty)
                } else {
                    #expect(rejected.reasonCode == "INVALID_TRANSITION")
                    #expect(rejected.inputEventId == screening.eventId)
                }
            }
            #expect(feedback.allSatisfy { $0.keyString == patient })
        }
    }

    @Test("every catalogue record yields TrialCatalogApplied or InputRejected")
    func catalogueRecordsAreAcknowledged() async throws {
        try await withWorker("feedback-catalog", capacityA: 1) { topics, _ in
            let raised = Fixture.catalogRecord(capacityA: 2, updatedAt: Fixture.now)
            let stale = Fixture.catalogRecord(capacityA: 5, updatedAt: 1)
            var invalid = Fixture.catalogRecord(capacityA: 3, updatedAt: Fixture.now + 1)
            invalid.sites[0].location = nil
            try await TestBroker.publish(
                [raised, stale, invalid].map {
                    KafkaProducerMessage(topic: topics.trialCatalog, key: TestCatalog.trialID, value: $0.wireBytes())
                } + [KafkaProducerMessage(topic: topics.trialCatalog, key: TestCatalog.trialID, value: [])])
            let records = try await TestBroker.read(topics.enrollmentFeedback) { $0.count >= 4 }
                .map { try InputFeedback(wireBytes: $0.value) }
            let outcomes = records.map { record -> String in
                switch record.body {
                case .trialCatalogApplied(let applied)?: "applied:\(applied.change):\(applied.updatedAt)"
                case .inputRejected(let rejected)?: "rejected:\(rejected.reasonCode):\(rejected.fieldPath)"
                case nil: "none"
                }
            }
            #expect(
                outcomes == [
                    "applied:UPDATED:\(raised.updatedAt)", "rejected:STALE_DEFINITION:updated_at", "rejected:INVALID:",
                    "applied:REMOVED:0",
                ], "\(outcomes)")
        }
    }
}
