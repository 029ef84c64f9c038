import Foundation
import TransitKafka
import TransitRPC
import TransitWire
import Testing
import TransitTime

extension OperationsTests {
    /// A visit the trial-access worker dead-lettered because its trial was not in the catalogue yet
    /// (the dead letter is written the way the runtime writes it); once the cause is fixed a redrive
    /// makes the worker handle it, exactly once. A real dead letter of the worker stays put.
    @Test func dlqListShowAndRedriveAfterFixingTheCauseMakesTheMessageSucceed() async throws {
        let topics = try await Ops.contractTopics("dlq")
        let input = topics.enrollmentEvents, output = topics.trialAccessEvents
        let store = Ops.sqlitePath()
        defer { Ops.removeSQLite(store) }
        let group = Ops.unique("g-dlq")
        let worker = try Ops.spawnExampleWorker(store: store, input: input, output: output, topics: topics, group: group)
        defer { Ops.stop(worker) }

        // A record the example worker refuses for good: no body.
        let noBody = EnrollmentEvent(eventId: "e-nobody", occurredAt: 1, source: "ops-test", patientRef: "p-9")
        _ = try await Ops.publish([KafkaProducerMessage(topic: input, key: "p-9", value: noBody.wireBytes())])
        // The dead letter of a valid event whose cause is fixed by now.
        let late = EnrollmentEvent(
            eventId: "e-late", occurredAt: 1, source: "ops-test", patientRef: "p-late",
            body: .visitScheduled(VisitScheduled(visit: Visit(visitId: "v-late", trialId: "NCT-T1"))))
        let original = KafkaConsumerMessage(
            topic: input, partition: 1, offset: 4242, timestamp: 1, key: Array("p-late".utf8), value: late.wireBytes(),
            headers: [KafkaHeader(name: TransitHeaders.traceparent, string: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")])
        let letter = DeadLetter(
            message: original, group: "trialtransit.trial-access", attempts: 1, code: "UNKNOWN_REFERENCE",
            reason: "trial NCT-T1 is not in the catalogue", failedAt: SystemWallClock().nowMilliseconds())
        _ = try await Ops.publish([letter.producerMessage(topics: topics)])
        _ = try await Ops.read(topics.deadLetters, timeout: .seconds(60)) { $0.count >= 2 }

        let list = try await Ops.ops(["dlq", "list", "--topic-prefix", topics.prefix])
        #expect(list.status == 0, "\(list)")
        #expect(list.stdout.contains("UNKNOWN_REFERENCE") && list.stdout.contains("\(input)/1/4242"), "\(list)")
        #expect(list.stdout.contains("reason: trial NCT-T1 is not in the catalogue"), "\(list)")
        #expect(list.stdout.contains("NO_BODY") && list.stdout.contains(group), "\(list)")
        #expect(list.stdout.contains(#""eventId":"e-late""#), "decoded as JSON: \(list)")
        #expect(list.lines.last == "2 dead letters in \(topics.deadLetters)", "\(list)")

        let json = try await Ops.ops(["dlq", "list", "--topic-prefix", topics.prefix, "--json"])
        let entries = json.lines.compactMap(Ops.json)
        #expect(entries.count == 2, "\(json)")
        let lateEntry = try #require(entries.first { ($0["deadLetter"] as? [String: Any])?["code"] as? String == "UNKNOWN_REFERENCE" })
        let position = "\(lateEntry["partition"] as? Int ?? -1):\(lateEntry["offset"] as? Int ?? -1)"

        let show = try await Ops.ops(["dlq", "show", "--topic-prefix", topics.prefix, position])
        #expect(show.status == 0, "\(show)")
        for text in ["error code    UNKNOWN_REFERENCE", "source        \(input)/1/4242", "group         trialtransit.trial-access",
            "key           p-late", "dlq-error: trial NCT-T1 is not in the catalogue", #""visitScheduled":{"visit":{"visitId":"v-late""#]
        {
            #expect(show.stdout.contains(text), "\(text) in \(show)")
        }
        #expect(!Ops.outputIDs(try await Ops.readAll(output)).contains("e-late/out"), "not handled before the redrive")

        // Dry run first: prints the record, sends nothing.
        let inputBefore = try await Ops.endOffsets(input)
        let dry = try await Ops.ops(["dlq", "redrive", "--topic-prefix", topics.prefix, "--all", "--code", "UNKNOWN_REFERENCE", "--dry-run"])
        #expect(dry.status == 0 && dry.lines.count == 2, "\(dry)")
        #expect(try await Ops.endOffsets(input) == inputBefore)

        let redrive = try await Ops.ops(["dlq", "redrive", "--topic-prefix", topics.prefix, "--offset", position])
        #expect(redrive.status == 0, "\(redrive)")
        let summary = try #require(redrive.lines.last)
        #expect(summary.contains(": 1 dead letter considered, 1 redriven, 0 skipped, 0 failed -> \(input);"), "\(summary)")
        let redriveID = try #require(summary.split(separator: " ").dropFirst().first.map { String($0.dropLast()) })

        // A sentinel after the redriven record, on its partition and key: once its output is out,
        // any second effect of the redrive would be out before it.
        let sentinel = Ops.event("e-sentinel", patient: "p-late", body: .visitCompleted(VisitCompleted(visitId: "v-s")), topic: input)
        var pinned = sentinel
        pinned.partition = 1
        _ = try await Ops.publish([pinned])
        let outputs = Ops.outputIDs(try await Ops.read(output) { Ops.outputIDs($0).contains("e-sentinel/out") })
        #expect(outputs.contains("e-late/out"))
        #expect(outputs.filter { $0 == "e-late/out" }.count == 1, "handled exactly once: \(outputs)")
        #expect(!outputs.contains("e-nobody/out"))

        let redriven = try #require(try await Ops.readAll(input).first { $0.headers.string(TransitHeaders.replayID) == redriveID })
        #expect(redriven.partition == 1 && redriven.keyString == "p-late" && Array(redriven.value) == late.wireBytes())
        #expect(redriven.headers.string(TransitHeaders.replayedFrom) == "\(input)/1/4242")
        #expect(!redriven.headers.contains { $0.name.hasPrefix("dlq-") })
        #expect(redriven.headers.string(TransitHeaders.traceparent) != nil)

        let audits = try await Ops.auditRecords(topics)
        #expect(audits.count == 1)
        let audit = try #require(audits.first)
        #expect(audit.action == .redrive && audit.actor == "ops:ops-test" && audit.details["redrive-id"] == redriveID)
        #expect(audit.details["dlq-offsets"] == position && audit.details["to-topic"] == input)
        #expect(audit.counts?.messagesPublished == 1)
    }
}
