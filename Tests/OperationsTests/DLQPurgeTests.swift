import Foundation
import TransitKafka
import TransitRPC
import TransitWire
import Testing
import TransitTime

extension OperationsTests {
    /// `dlq purge --patient-ref`: an erased patient's dead letters (holding the pickup address)
    /// are gone for every reader; the others stay with their provenance, and a partition without a
    /// match is not touched. Audited; a dry run changes nothing.
    @Test func dlqPurgeRemovesOnlyTheErasedPatientsDeadLetters() async throws {
        let topics = try await Ops.contractTopics("purge")
        func letter(_ patient: String, _ id: String, partition: Int32) -> KafkaProducerMessage {
            var body = TravelAssistanceRequested()
            body.requestId = "req-\(id)"
            body.pickup = Location(point: GeoPoint(latitude: 42.33, longitude: -71.12), addressText: "Harvard Street 12, \(patient)")
            body.contactToken = "ct-\(patient)"
            let event = TravelEvent(eventId: id, occurredAt: 1, source: "ops-test", patientRef: patient, body: .travelAssistanceRequested(body))
            let original = KafkaConsumerMessage(
                topic: topics.travelRequests, partition: 0, offset: 7, timestamp: 1, key: Array(patient.utf8),
                value: event.wireBytes(), headers: [])
            var message = DeadLetter(
                message: original, group: "trialtransit.transport", attempts: 1, code: "INVALID",
                reason: "test dead letter", failedAt: SystemWallClock().nowMilliseconds()
            ).producerMessage(topics: topics)
            message.partition = partition
            return message
        }
        _ = try await Ops.publish([
            letter("p-erased", "e-1", partition: 0), letter("p-other", "e-2", partition: 0),
            letter("p-erased", "e-3", partition: 1), letter("p-other", "e-4", partition: 2),
        ])
        _ = try await Ops.read(topics.deadLetters) { $0.count >= 4 }

        let dry = try await Ops.ops(["dlq", "purge", "--topic-prefix", topics.prefix, "--patient-ref", "p-erased", "--dry-run"])
        #expect(dry.status == 0, "\(dry)")
        #expect(dry.stdout.contains("2 of 4 dead letters would be removed") && dry.stdout.contains("partitions 0,1"), "\(dry)")
        #expect(try await Ops.readAll(topics.deadLetters).count == 4)

        let purge = try await Ops.ops(
            ["dlq", "purge", "--topic-prefix", topics.prefix, "--patient-ref", "p-erased", "--actor", "ops:dpo"])
        #expect(purge.status == 0, "\(purge)")
        #expect(purge.stdout.contains("2 of 4 dead letters removed") && purge.stdout.contains("1 rewritten"), "\(purge)")

        let left = try await Ops.readAll(topics.deadLetters)
        #expect(left.map { $0.keyString ?? "" } == ["p-other", "p-other"], "\(left.map(\.keyString))")
        for record in left {
            let text = String(decoding: record.value, as: UTF8.self)
            #expect(!text.contains("p-erased"), "an erased patient's data is left at \(record.partition):\(record.offset)")
            #expect(record.headers.string(TransitHeaders.dlqErrorCode) == "INVALID")
            #expect(record.headers.string(TransitHeaders.dlqSourceTopic) == topics.travelRequests)
        }
        // Partition 2 held no match: its dead letter kept its position.
        #expect(left.contains { $0.partition == 2 && $0.offset == 0 })
        #expect(left.contains { $0.partition == 0 && $0.offset == 2 }, "the kept letter of partition 0 was rewritten after the watermark")

        let audit = try await Ops.auditRecords(topics).filter { $0.details["outcome"] == "dead-letters-purged" }
        #expect(audit.count == 1)
        #expect(audit.first?.action == .erasure && audit.first?.subject == "p-erased" && audit.first?.actor == "ops:dpo")
        #expect(audit.first?.details["purged"] == "2" && audit.first?.details["partitions"] == "0,1")

        let list = try await Ops.ops(["dlq", "list", "--topic-prefix", topics.prefix])
        #expect(list.lines.last == "2 dead letters in \(topics.deadLetters)", "\(list)")
    }
}
