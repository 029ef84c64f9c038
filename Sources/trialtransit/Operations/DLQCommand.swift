import ArgumentParser
import Logging
import TransitCommandLine
import TransitStore

/// `trialtransit dlq …`: inspect and redrive dead letters.
struct DLQCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "Inspect, redrive and purge dead letters (trialtransit.dlq.v1).",
        discussion: """
            Dead letters are named by their position in the dead-letter topic, PARTITION:OFFSET, as `dlq list` \
            shows them.

            Examples:
              trialtransit dlq list --code UNKNOWN_REFERENCE
              trialtransit dlq show 0:12
              trialtransit dlq redrive --offset 0:12 --offset 1:3
              trialtransit dlq purge --patient-ref p-7Q2XK9
            """,
        subcommands: [DLQListCommand.self, DLQShowCommand.self, DLQRedriveCommand.self, DLQPurgeCommand.self]
    )
}

/// `--source-topic`, `--code`, `--group`: narrows the dead letters a `dlq` command looks at.
struct DeadLetterQueryOptions: ParsableArguments {
    @Option(help: "Only dead letters from this source topic.")
    var sourceTopic: String?

    @Option(help: "Only dead letters with this error code (dlq-error-code), e.g. UNKNOWN_REFERENCE.")
    var code: String?

    @Option(help: "Only dead letters of this consumer group.")
    var group: String?

    var query: DeadLetterQuery { DeadLetterQuery(sourceTopic: sourceTopic, code: code, group: group) }
}

/// `trialtransit dlq list`.
struct DLQListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List dead letters with their reason, provenance and decoded value.",
        discussion: """
            One line per dead letter: position (PARTITION:OFFSET), when it failed, error code, source \
            topic/partition/offset, consumer group and attempts; then the reason and the value decoded as JSON \
            where its type is known (else its size). --json prints one JSON object per dead letter instead.

            With --store (or $TRIALTRANSIT_STORE) it then lists the store's dead outbox: outputs the broker \
            refused for good whose dead letter was refused too (e.g. larger than message.max.bytes), kept in \
            the dead_outbox table instead of the topic.

            Examples:
              trialtransit dlq list
              trialtransit dlq list --source-topic enrollment.events.v1 --json
              trialtransit dlq list --store sqlite:trialtransit.sqlite
            """
    )

    @OptionGroup var options: OperationsOptions
    @OptionGroup var queryOptions: DeadLetterQueryOptions
    @OptionGroup var store: StoreOptions

    @Option(help: "Show at most this many (the oldest first).")
    var limit: Int?

    @Flag(help: "Print JSON lines instead of the table.")
    var json = false

    func run() async throws {
        try await OperationError.reporting {
            let session = try await options.connect(clientID: "trialtransit-dlq")
            let decoder = RecordDecoder(catalog: session.catalog)
            let entries = try await DeadLetterReader.read(session: session).filter(queryOptions.query.matches)
            let shown = entries.prefix(limit ?? Int.max)
            let dead = try await deadOutbox()
            if json {
                for entry in shown { print(DeadLetterFormat.json(entry, decoder: decoder)) }
                for entry in dead ?? [] { print(DeadOutboxFormat.json(entry)) }
                return
            }
            print(DeadLetterFormat.tableHeader)
            for entry in shown { print(DeadLetterFormat.tableRow(entry, decoder: decoder)) }
            print("\(DeadLetterFormat.count(entries.count)) in \(session.topics.deadLetters)" + (shown.count < entries.count ? ", \(shown.count) shown" : ""))
            guard let dead else { return }
            print(DeadOutboxFormat.tableHeader)
            for entry in dead { print(DeadOutboxFormat.tableRow(entry)) }
            print("\(DeadOutboxFormat.count(dead.count)) in the dead outbox of \(store.redacted)")
        }
    }

    /// The store's dead outbox (oldest first, up to `--limit`), when a store is named.
    private func deadOutbox() async throws -> [DeadOutboxEntry]? {
        guard store.store != nil else { return nil }
        var logger = Logger(label: "trialtransit.dlq")
        logger.logLevel = .error
        let opened = try await store.open(logger: logger)
        do {
            let entries = try await opened.deadOutbox(limit: limit ?? Int.max)
            try await opened.close()
            return entries
        } catch {
            try? await opened.close()
            throw error
        }
    }
}

/// `trialtransit dlq show`.
struct DLQShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one dead letter in full: provenance, reason, key, every header and the decoded value.",
        discussion: """
            Examples:
              trialtransit dlq show 0:12
              trialtransit dlq show 0:12 --json | jq .value
            """
    )

    @OptionGroup var options: OperationsOptions

    @Argument(help: ArgumentHelp("Position in the dead-letter topic.", valueName: "partition:offset"))
    var position: String

    @Flag(help: "Print it as one JSON object.")
    var json = false

    func run() async throws {
        try await OperationError.reporting {
            let wanted = try DeadLetterFormat.parsePosition(position)
            let session = try await options.connect(clientID: "trialtransit-dlq")
            let decoder = RecordDecoder(catalog: session.catalog)
            guard let entry = try await DeadLetterReader.read(session: session, positions: [wanted]).first else {
                throw OperationError("dead letter \(position) does not exist")
            }
            print(json ? DeadLetterFormat.json(entry, decoder: decoder) : DeadLetterFormat.detail(entry, decoder: decoder))
        }
    }
}
