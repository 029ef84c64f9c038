import Foundation
import TransitKafka
import TransitRPC
import TransitWire
import Testing

extension OperationsTests {
    @Test func lagAndGroupsMatchTheProducedAndCommittedOffsets() async throws {
        let topics = try await Ops.contractTopics("lag")
        let topic = topics.enrollmentEvents
        let perPartition: [Int32: Int] = [0: 5, 1: 3, 2: 2]
        var records: [KafkaProducerMessage] = []
        for (partition, count) in perPartition {
            for i in 0..<count {
                var record = Ops.event("l-\(partition)-\(i)", patient: "p-\(i)", body: .visitCompleted(VisitCompleted(visitId: "v")), topic: topic)
                record.partition = partition
                records.append(record)
            }
        }
        _ = try await Ops.publish(records)
        let group = Ops.unique("g-lag")
        let committer = try KafkaConsumer(configuration: KafkaConsumerConfiguration(client: Ops.client, groupID: group), logger: Ops.logger)
        try await committer.commit(offsets: [
            KafkaTopicPartitionOffset(topic: topic, partition: 0, offset: 4), KafkaTopicPartitionOffset(topic: topic, partition: 1, offset: 3),
        ])
        try await committer.close()

        let lag = try await Ops.ops(["lag", "--topic-prefix", topics.prefix, "--group", group, "--topic", topic])
        #expect(lag.status == 0, "\(lag)")
        let rows = lag.lines.dropFirst().filter { $0.hasPrefix(topic + " ") }.map { $0.split(separator: " ").map(String.init) }
        #expect(rows == [[topic, "0", "4", "5", "1"], [topic, "1", "3", "3", "0"], [topic, "2", "-", "2", "2"]], "\(lag)")
        #expect(lag.lines.last == "group \(group): total lag 3 over 3 partitions", "\(lag)")

        let groups = try await Ops.ops(["groups", "--topic-prefix", topics.prefix, "--group", group, "--topic", topic])
        #expect(groups.status == 0, "\(groups)")
        let row = groups.lines.first { $0.hasPrefix(group + " ") }?.split(separator: " ").map(String.init)
        #expect(row == [group, topic, "2/3", "7", "10", "3"], "\(groups)")
        let workerRow = groups.lines.first { $0.hasPrefix("trialtransit.trial-access ") && $0.contains(" \(topic) ") }
        #expect(workerRow?.split(separator: " ").map(String.init) == ["trialtransit.trial-access", topic, "0/3", "0", "10", "10"], "\(groups)")
    }

    /// Lag of a real worker's group once it has handled everything: committed = end everywhere.
    @Test func lagOfAWorkerGroupIsZeroOnceItCaughtUp() async throws {
        let topics = try await Ops.contractTopics("lagworker")
        let input = topics.enrollmentEvents, output = topics.trialAccessEvents
        let ids = (0..<30).map { "w-\($0)" }
        _ = try await Ops.publish(ids.enumerated().map {
            Ops.event($0.element, patient: "p-\($0.offset % 7)", body: .visitCompleted(VisitCompleted(visitId: "v")), topic: input)
        })
        let store = Ops.sqlitePath()
        defer { Ops.removeSQLite(store) }
        let group = Ops.unique("g-lagworker")
        let worker = try Ops.spawnExampleWorker(store: store, input: input, output: output, topics: topics, group: group)
        defer { Ops.stop(worker) }
        _ = try await Ops.read(output, timeout: .seconds(90)) { Set(Ops.outputIDs($0)).count >= ids.count }

        // Commits follow the outputs; poll until the group is caught up (a ceiling for a broken run).
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(90)
        var last: Ops.Run?
        while clock.now < deadline {
            let run = try await Ops.ops(["lag", "--topic-prefix", topics.prefix, "--group", group, "--topic", input])
            last = run
            if run.lines.last == "group \(group): total lag 0 over 3 partitions" { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        let run = try #require(last)
        #expect(run.lines.last == "group \(group): total lag 0 over 3 partitions", "\(run)")
        let admin = try KafkaAdmin(configuration: Ops.client, logger: Ops.logger)
        for row in run.lines.dropFirst().filter({ $0.hasPrefix(input + " ") }).map({ $0.split(separator: " ").map(String.init) }) {
            let partition = try #require(Int32(row[1]))
            let end = try await admin.watermarks(topic: input, partition: partition).high
            #expect(row[3] == String(end) && (end == 0 || row[2] == String(end)), "\(row)")
        }
    }
}
