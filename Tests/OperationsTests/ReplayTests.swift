import Foundation
import TransitKafka
import TransitRPC
import TransitWire
import Testing

extension OperationsTests {
    /// 10 events before the window, 20 in it (10 of them cancellations), 10 after: a replay of the
    /// window filtered on cancellations makes the worker handle exactly those 10 once more.
    @Test func replayOfATimeWindowWithAFilterReprocessesExactlyTheSelectedEventsOnce() async throws {
        let topics = try await Ops.contractTopics("replay")
        let input = topics.enrollmentEvents, output = topics.trialAccessEvents
        let base = Int64(Date().timeIntervalSince1970 * 1000) - 600_000
        let cancel = { (id: String) in EnrollmentEvent.Body.visitCancelled(VisitCancelled(visitId: "v-" + id)) }
        let complete = { (id: String) in EnrollmentEvent.Body.visitCompleted(VisitCompleted(visitId: "v-" + id)) }
        var records: [KafkaProducerMessage] = []
        for i in 0..<10 { records.append(Ops.event("a-\(i)", patient: "p-\(i % 5)", body: cancel("a\(i)"), topic: input, timestamp: base + Int64(i))) }
        for i in 0..<20 {
            let id = "b-\(i)"
            records.append(
                Ops.event(id, patient: "p-\(i % 5)", body: i % 2 == 0 ? cancel(id) : complete(id), topic: input,
                    timestamp: base + 100_000 + Int64(i)))
        }
        for i in 0..<10 { records.append(Ops.event("c-\(i)", patient: "p-\(i % 5)", body: cancel("c\(i)"), topic: input, timestamp: base + 200_000 + Int64(i))) }
        let originals = try await Ops.publish(records)
        let allIDs = (0..<10).map { "a-\($0)" } + (0..<20).map { "b-\($0)" } + (0..<10).map { "c-\($0)" }
        let selected = Set((0..<20).filter { $0 % 2 == 0 }.map { "b-\($0)" })

        let store = Ops.sqlitePath()
        defer { Ops.removeSQLite(store) }
        let group = Ops.unique("g-replay")
        let worker = try Ops.spawnExampleWorker(store: store, input: input, output: output, topics: topics, group: group)
        defer { Ops.stop(worker) }
        let firstPass = try await Ops.read(output, timeout: .seconds(90)) { Set(Ops.outputIDs($0)).count >= allIDs.count }
        #expect(Set(Ops.outputIDs(firstPass)) == Set(allIDs.map { $0 + "/out" }), "every input handled once before the replay")

        let replay = try await Ops.ops([
            "replay", "--topic-prefix", topics.prefix, "--topic", input, "--from-time", Ops.iso(base + 100_000),
            "--to-time", Ops.iso(base + 150_000), "--filter", "body=visitCancelled", "--actor", "ops:tester",
        ])
        #expect(replay.status == 0, "\(replay)")
        let summary = try #require(replay.lines.last, "\(replay)")
        #expect(summary.contains(": 20 read, 10 matched, 10 published, 10 skipped, 0 failed"), "\(summary)")
        let replayID = try #require(summary.split(separator: " ").dropFirst().first.map { String($0.dropLast()) })
        #expect(replay.stderr.contains("replay ") && replay.stderr.contains("10 sent"), "progress on stderr: \(replay.stderr)")

        // The worker handles each selected event once more, and nothing else.
        let expectedTotal = allIDs.count + selected.count
        let outputs = Ops.outputIDs(try await Ops.settledOutputs(output, group: group, input: input, store: store))
        var perID: [String: Int] = [:]
        for id in outputs { perID[id, default: 0] += 1 }
        #expect(outputs.count == expectedTotal, "outputs: \(outputs.count)")
        for id in allIDs {
            let expected = selected.contains(id) ? 2 : 1
            #expect(perID[id + "/out"] == expected, "\(id): \(perID[id + "/out"] ?? 0) outputs, expected \(expected)")
        }

        // The replayed records: same key, value and timestamp, plus replay-id and replayed-from.
        let inputs = try await Ops.readAll(input)
        let replayed = inputs.filter { $0.headers.string(TransitHeaders.replayID) == replayID }
        #expect(replayed.count == selected.count)
        for record in replayed {
            let origin = try #require(record.headers.string(TransitHeaders.replayedFrom))
            let original = try #require(inputs.first { "\($0.topic)/\($0.partition)/\($0.offset)" == origin }, "\(origin)")
            #expect(original.headers.string(TransitHeaders.replayID) == nil)
            #expect(Array(record.value) == Array(original.value) && record.keyString == original.keyString)
            #expect(record.timestamp == original.timestamp)
            #expect(record.headers.string(TransitHeaders.traceparent) == original.headers.string(TransitHeaders.traceparent))
            #expect(selected.contains(try EnrollmentEvent(wireBytes: record.value).eventId))
        }
        #expect(originals.count == records.count)

        // A later replay of the window without an end skips the copies the first one appended.
        let again = try await Ops.ops([
            "replay", "--topic-prefix", topics.prefix, "--topic", input, "--from-time", Ops.iso(base + 100_000),
            "--filter", "body=visitCancelled", "--dry-run",
        ])
        #expect(again.status == 0, "\(again)")
        #expect(again.lines.last == "dry run: 20 of 40 records read from \(input) would be published to \(input); nothing was sent", "\(again)")

        // One audit record for the replay.
        let audits = try await Ops.auditRecords(topics)
        let audit = try #require(audits.first { $0.details["replay-id"] == replayID }, "\(audits)")
        #expect(audits.count == 1)
        #expect(audit.action == .replay && audit.actor == "ops:tester" && audit.subject == "topic:" + input)
        #expect(audit.details["from"] == String(base + 100_000) && audit.details["to"] == String(base + 150_000))
        #expect(audit.details["filters"] == "body=visitCancelled")
        #expect(audit.counts == AuditCounts(messagesRead: 20, messagesPublished: 10, messagesSkipped: 10, messagesFailed: 0))
    }

    @Test func dryRunPrintsWhatWouldBeSentAndPublishesNothing() async throws {
        let topics = try await Ops.contractTopics("dryrun")
        let input = topics.enrollmentEvents
        _ = try await Ops.publish((0..<9).map {
            Ops.event("d-\($0)", patient: "p-\($0 % 3)", body: .visitCompleted(VisitCompleted(visitId: "v")), topic: input)
        })
        let inputBefore = try await Ops.endOffsets(input)
        let run = try await Ops.ops([
            "replay", "--topic-prefix", topics.prefix, "--topic", input, "--from-offset", "0:0", "--from-offset", "1:0",
            "--from-offset", "2:0", "--key", "p-1", "--filter", "patientRef=p-1", "--dry-run",
        ])
        #expect(run.status == 0, "\(run)")
        let lines = run.lines.compactMap(Ops.json)
        #expect(lines.count == 3, "\(run)")
        for line in lines {
            #expect(line["key"] as? String == "p-1")
            #expect(((line["headers"] as? [String: Any])?["replay-id"] as? String)?.isEmpty == false)
            #expect(((line["headers"] as? [String: Any])?["replayed-from"] as? String)?.hasPrefix(input + "/") == true)
            #expect((line["value"] as? [String: Any])?["patientRef"] as? String == "p-1")
        }
        #expect(run.lines.last == "dry run: 3 of 9 records read from \(input) would be published to \(input); nothing was sent")
        #expect(try await Ops.endOffsets(input) == inputBefore, "nothing published")
        #expect(try await Ops.endOffsets(topics.audit) == 0, "no audit record for a dry run")
    }
}
