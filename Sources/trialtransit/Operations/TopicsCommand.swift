import ArgumentParser
import TransitKafka

/// `trialtransit topics …`: create and list the contract's topics.
struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "Create (idempotently) and list the topics of the wire contract.",
        discussion: """
            Examples:
              trialtransit topics ensure --brokers 127.0.0.1:9092
              trialtransit topics ensure --topic-prefix acme. --partner city-taxi \\
                --replication-factor 3
              trialtransit topics list
            """,
        subcommands: [TopicsEnsureCommand.self, TopicsListCommand.self]
    )
}

/// `trialtransit topics ensure`.
struct TopicsEnsureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ensure",
        abstract: "Create every topic of the contract that does not exist yet; existing ones are left alone.",
        discussion: """
            Partitions and cleanup policy follow docs/CONTRACT.md §2 (trial.catalog.v1 compacted, the others \
            deleted after their retention). Existing topics are not changed, not even their partitions.

            Examples:
              trialtransit topics ensure
              trialtransit topics ensure --partitions 3 --partner city-taxi
            """
    )

    @OptionGroup var options: OperationsOptions

    @Option(help: "Partitions of every topic instead of the contract's suggestions.")
    var partitions: Int?

    @Option(help: "Replication factor (1 for a local broker, 3 in production).")
    var replicationFactor = 1

    @Option(name: .customLong("partner"), parsing: .singleValue, help: "Partner id whose request and update topics to create (repeatable).")
    var partners: [String] = []

    func run() async throws {
        try await OperationError.reporting {
            if let partitions, partitions <= 0 { throw OperationError("--partitions must be positive") }
            guard replicationFactor > 0 else { throw OperationError("--replication-factor must be positive") }
            for partner in partners where partner.isEmpty || !partner.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) {
                throw OperationError("--partner '\(partner)': partner ids are [a-z0-9-]+")
            }
            let session = try await options.connect(clientID: "trialtransit-topics")
            let entries = TopicCatalog(topics: session.topics, partners: partners).entries
            let specifications = entries.map {
                KafkaTopicSpecification(
                    name: $0.name, partitions: partitions ?? $0.partitions, replicationFactor: replicationFactor, configs: $0.configs)
            }
            let created = Set(try await session.admin.createTopics(specifications, timeout: session.timeout * 3))
            for specification in specifications {
                let state =
                    created.contains(specification.name)
                    ? "created, \(Self.partitions(specification.partitions)), \(specification.configs["cleanup.policy"] ?? "delete")"
                    : "exists, \(Self.partitions(session.existing[specification.name]?.partitions.count ?? specification.partitions))"
                print(specification.name.padded(52) + " " + state)
            }
            print("\(created.count) created, \(specifications.count - created.count) already existed")
        }
    }

    private static func partitions(_ count: Int) -> String { count == 1 ? "1 partition" : "\(count) partitions" }
}

/// `trialtransit topics list`.
struct TopicsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the contract's topics with partitions and message counts.",
        discussion: """
            MESSAGES is the sum over partitions of end - start offsets: the records still kept (an upper \
            bound on a compacted topic). A contract topic that does not exist shows 'missing'. --all lists \
            every topic on the broker (internal ones excluded).

            Examples:
              trialtransit topics list
              trialtransit topics list --all --topic-prefix acme.
            """
    )

    @OptionGroup var options: OperationsOptions

    @Flag(help: "List every topic on the broker, not only the contract's.")
    var all = false

    @Option(name: .customLong("partner"), parsing: .singleValue, help: "Partner id whose topics to include (repeatable).")
    var partners: [String] = []

    func run() async throws {
        try await OperationError.reporting {
            let session = try await options.connect(clientID: "trialtransit-topics")
            let catalog = TopicCatalog(topics: session.topics, partners: partners)
            var names = catalog.entries.map(\.name)
            // Partner topics on the broker belong to the contract whether or not --partner names them.
            names += session.existing.keys.filter { !names.contains($0) && catalog.entry(forTopic: $0) != nil }.sorted()
            if all {
                let others = session.existing.keys.filter { !$0.hasPrefix("__") && !names.contains($0) }.sorted()
                names += others
            }
            print(["TOPIC".padded(52), "PARTITIONS".padded(10), "MESSAGES".padded(10), "TYPE"].joined(separator: " "))
            for name in names {
                let type = catalog.entry(forTopic: name).map { $0.messageType ?? "(per record)" } ?? "-"
                guard let metadata = session.existing[name] else {
                    print([name.padded(52), "missing".padded(10), "-".padded(10), type].joined(separator: " "))
                    continue
                }
                var messages: Int64 = 0
                for partition in metadata.partitions {
                    let (low, high) = try await session.admin.watermarks(topic: name, partition: partition.id, timeout: session.timeout)
                    messages += max(0, high - low)
                }
                print([name.padded(52), String(metadata.partitions.count).padded(10), String(messages).padded(10), type].joined(separator: " "))
            }
        }
    }
}
