import Foundation
import TransitKafka
import TransitRPC
import TransitWire
import Testing

extension OperationsTests {
    @Test func topicsEnsureIsIdempotentAndListShowsPartitionsAndMessageCounts() async throws {
        let topics = TransitTopics(prefix: Ops.unique("test-ops-topics") + ".")
        let first = try await Ops.ops(["topics", "ensure", "--topic-prefix", topics.prefix, "--partitions", "2", "--partner", "city-taxi"])
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.contains("\(topics.trialCatalog) ") && first.stdout.contains("created, 2 partitions, compact"), "\(first)")
        #expect(first.lines.last == "14 created, 0 already existed", "\(first)")

        let second = try await Ops.ops(["topics", "ensure", "--topic-prefix", topics.prefix, "--partitions", "2"])
        #expect(second.status == 0, "\(second)")
        #expect(second.lines.last == "0 created, 11 already existed", "without --partner: \(second)")

        _ = try await Ops.publish((0..<4).map {
            Ops.event("t-\($0)", patient: "p-\($0)", body: .visitCompleted(VisitCompleted(visitId: "v")), topic: topics.enrollmentEvents)
        })
        let list = try await Ops.ops(["topics", "list", "--topic-prefix", topics.prefix])
        #expect(list.status == 0, "\(list)")
        let row = list.lines.first { $0.hasPrefix(topics.enrollmentEvents + " ") }?.split(separator: " ").map(String.init)
        #expect(row == [topics.enrollmentEvents, "2", "4", EnrollmentEvent.protoName], "\(list)")
        let audit = list.lines.first { $0.hasPrefix(topics.audit + " ") }?.split(separator: " ").map(String.init)
        #expect(audit == [topics.audit, "2", "0", AuditRecord.protoName], "\(list)")
        let partner = list.lines.first { $0.hasPrefix(topics.partnerUpdates("city-taxi") + " ") }?.split(separator: " ").map(String.init)
        #expect(partner == [topics.partnerUpdates("city-taxi"), "2", "0", PartnerRideUpdate.protoName], "\(list)")
        for feedback in [topics.enrollmentFeedback, topics.partnerFeedback("city-taxi")] {
            let row = list.lines.first { $0.hasPrefix(feedback + " ") }?.split(separator: " ").map(String.init)
            #expect(row == [feedback, "2", "0", InputFeedback.protoName], "\(list)")
        }
    }

    @Test func publishWrapsABodyIntoItsEnvelopeAndConsumePrintsItWithHeaders() async throws {
        let topics = try await Ops.contractTopics("publish")
        let topic = topics.enrollmentEvents
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let published = try await Ops.ops(
            ["publish", "--topic-prefix", topics.prefix, "--topic", topic, "--type", PatientReferred.protoName, "--key", "p-pub", "--json", "-"],
            stdin: #"{"referralId":"ref-1","conditionCode":"C34.1","stage":"IV","ageYears":64,"ecog":0}"#)
        #expect(published.status == 0, "\(published)")
        let line = try #require(published.lines.first, "\(published)")
        let eventID = try #require(line.split(separator: " ").first { $0.hasPrefix("event_id=") }?.dropFirst("event_id=".count))
        #expect(eventID.count == 36, "a UUID: \(line)")
        #expect(line.hasPrefix("published trialtransit.v1.EnrollmentEvent event_id="), "\(line)")

        let records = try await Ops.readAll(topic)
        try #require(records.count == 1)
        let record = records[0]
        #expect(record.keyString == "p-pub")
        #expect(record.headers.string(TransitHeaders.traceparent) != nil)
        let event = try EnrollmentEvent(wireBytes: record.value)
        #expect(event.eventId == String(eventID))
        #expect(event.patientRef == "p-pub")
        #expect(event.source == "trialtransit-cli")
        #expect(event.occurredAt >= before && event.occurredAt <= before + 60_000)
        guard case .patientReferred(let referral)? = event.body else {
            Issue.record("body is \(String(describing: event.body))")
            return
        }
        #expect(referral.conditionCode == "C34.1" && referral.ageYears == 64 && referral.ecog == 0)

        // An envelope without event_id gets one; with one keeps it.
        let envelopes = try await Ops.ops(
            ["publish", "--topic-prefix", topics.prefix, "--topic", topic, "--type", EnrollmentEvent.protoName, "--json", "-"],
            stdin: """
                {"patientRef":"p-env","visitCancelled":{"visitId":"v-1"}}
                {"eventId":"e-given","patientRef":"p-env","visitCompleted":{"visitId":"v-1"}}
                """)
        #expect(envelopes.status == 0, "\(envelopes)")
        #expect(envelopes.lines.count == 2 && envelopes.lines[1].contains("event_id=e-given "), "\(envelopes)")

        let consumed = try await Ops.ops(["consume", "--topic-prefix", topics.prefix, "--topic", topic])
        #expect(consumed.status == 0, "\(consumed)")
        let objects = consumed.lines.compactMap(Ops.json)
        #expect(objects.count == 3, "\(consumed)")
        let referralLine = try #require(objects.first { ($0["value"] as? [String: Any])?["patientReferred"] != nil })
        #expect(referralLine["key"] as? String == "p-pub")
        #expect(referralLine["type"] as? String == EnrollmentEvent.protoName)
        #expect((referralLine["headers"] as? [String: Any])?["traceparent"] is String)
        let value = try #require(referralLine["value"] as? [String: Any])
        #expect(value["eventId"] as? String == String(eventID))
        #expect((value["patientReferred"] as? [String: Any])?["conditionCode"] as? String == "C34.1")
        let generated = objects.compactMap { ($0["value"] as? [String: Any]) }.first { $0["visitCancelled"] != nil }
        #expect((generated?["eventId"] as? String)?.count == 36)
    }
}
