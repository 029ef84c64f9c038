import ArgumentParser
import TransitKafka

/// `trialtransit groups`: the workers' consumer groups with their committed offsets.
struct GroupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groups",
        abstract: "List the workers' consumer groups with committed offsets and lag on their input topics.",
        discussion: """
            Shows the known worker groups (trialtransit.trial-access, trialtransit.transport) and any --group, \
            one line per group and input topic: PARTS (partitions with a commit / all), COMMITTED (sum of \
            committed offsets), END (sum of end offsets) and LAG. The broker is not asked for a list of groups (TransitKafka has no ListGroups): \
            other groups appear only when named.

            Examples:
              trialtransit groups
              trialtransit groups --group trialtransit.example --topic example.in
            """
    )

    @OptionGroup var options: OperationsOptions

    @Option(name: .customLong("group"), parsing: .singleValue, help: "Another group to show (repeatable).")
    var extraGroups: [String] = []

    @Option(name: .customLong("topic"), parsing: .singleValue, help: "Input topic of the --group groups (repeatable). Default: every contract topic.")
    var topicNames: [String] = []

    @Option(name: .customLong("partner"), parsing: .singleValue, help: "Partner id whose update topic the transport group reads (repeatable).")
    var partners: [String] = []

    func run() async throws {
        try await OperationError.reporting {
            let session = try await options.connect(clientID: "trialtransit-groups")
            for name in topicNames { _ = try session.requireTopic(name) }
            var groups = KnownWorkerGroups.groups(topics: session.topics, partners: partners)
            let others = topicNames.isEmpty ? TopicCatalog(topics: session.topics, partners: partners).entries.map(\.name) : topicNames
            for group in extraGroups where !groups.contains(where: { $0.group == group }) { groups.append((group, others)) }
            print(["GROUP".padded(28), "TOPIC".padded(50), "PARTS".padded(9), "COMMITTED".padded(10), "END".padded(10), "LAG"].joined(separator: " "))
            for (group, topics) in groups {
                let worker = KnownWorkerGroups.topics(ofGroup: group, topics: session.topics, partners: partners) != nil
                let present = topics.filter { session.existing[$0] != nil }
                let rows = try await session.admin.lag(group: group, topics: present, timeout: session.timeout)
                var shown = 0
                for topic in present {
                    let partitions = rows.filter { $0.topic == topic }
                    let committed = partitions.filter { $0.committed != nil }
                    // Worker groups show every input topic; other groups where they committed (or --topic).
                    if committed.isEmpty && !worker && topicNames.isEmpty { continue }
                    shown += 1
                    print(
                        [
                            group.padded(28), topic.padded(50), "\(committed.count)/\(partitions.count)".padded(9),
                            String(committed.reduce(Int64(0)) { $0 + ($1.committed ?? 0) }).padded(10),
                            String(partitions.reduce(Int64(0)) { $0 + $1.end }).padded(10),
                            String(partitions.reduce(Int64(0)) { $0 + $1.lag }),
                        ].joined(separator: " "))
                }
                if shown == 0 { print(group.padded(28) + " (no committed offsets on existing topics)") }
            }
        }
    }
}
