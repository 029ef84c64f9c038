import ArgumentParser
import TransitKafka

/// `trialtransit lag`: committed offset, end offset and lag per partition for one consumer group.
struct LagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lag",
        abstract: "Committed offset, end offset and lag per partition for a consumer group.",
        discussion: """
            Lag is end - committed; a partition the group never committed shows committed '-' and lag \
            end - start (everything still kept). Topics: --topic, else the group's input topics when it is \
            a worker group (see `trialtransit groups`), else every contract topic the group has committed on.

            Examples:
              trialtransit lag --group trialtransit.trial-access
              trialtransit lag --group my-consumer --topic enrollment.events.v1
            """
    )

    @OptionGroup var options: OperationsOptions

    @Option(help: "Consumer group id.")
    var group: String

    @Option(name: .customLong("topic"), parsing: .singleValue, help: "Topic to report (repeatable).")
    var topicNames: [String] = []

    @Option(name: .customLong("partner"), parsing: .singleValue, help: "Partner id whose update topic belongs to the transport group (repeatable).")
    var partners: [String] = []

    func run() async throws {
        try await OperationError.reporting {
            let session = try await options.connect(clientID: "trialtransit-lag")
            for name in topicNames { _ = try session.requireTopic(name) }
            let explicit = !topicNames.isEmpty
            let candidates =
                explicit ? topicNames
                : KnownWorkerGroups.topics(ofGroup: group, topics: session.topics, partners: partners)
                    ?? TopicCatalog(topics: session.topics, partners: partners).entries.map(\.name)
            let present = candidates.filter { session.existing[$0] != nil }
            var rows = try await session.admin.lag(group: group, topics: present, timeout: session.timeout)
            if !explicit && KnownWorkerGroups.topics(ofGroup: group, topics: session.topics, partners: partners) == nil {
                let committedTopics = Set(rows.filter { $0.committed != nil }.map(\.topic))
                rows = rows.filter { committedTopics.contains($0.topic) }
            }
            print(LagFormat.header)
            for row in rows { print(LagFormat.row(row)) }
            let total = rows.reduce(Int64(0)) { $0 + $1.lag }
            let missing = candidates.filter { session.existing[$0] == nil }
            print("group \(group): total lag \(total) over \(rows.count) partitions" + (missing.isEmpty ? "" : "; missing topics: \(missing.joined(separator: ", "))"))
        }
    }
}

/// Table lines of `lag` and `groups`.
enum LagFormat {
    static let header = ["TOPIC".padded(50), "PARTITION".padded(9), "COMMITTED".padded(10), "END".padded(10), "LAG"].joined(separator: " ")

    static func row(_ lag: KafkaPartitionLag) -> String {
        [
            lag.topic.padded(50), String(lag.partition).padded(9), (lag.committed.map(String.init) ?? "-").padded(10),
            String(lag.end).padded(10), String(lag.lag),
        ].joined(separator: " ")
    }
}
