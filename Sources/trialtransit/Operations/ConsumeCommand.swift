import ArgumentParser
import TransitKafka
import TransitWire

/// `trialtransit consume`: prints a topic's records as JSON lines with their headers.
struct ConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Print a topic's records, decoded, as JSON lines with their headers.",
        discussion: """
            Each line is one record: topic, partition, offset, timestamp (unix ms), key, headers, type and \
            value (the decoded message in proto3 JSON), or valueBase64 and problem when it does not decode. \
            Reads without a consumer group (commits nothing) from the beginning, or --from-offset / \
            --from-time, up to the end of the topic as it was at start; --follow keeps waiting for new \
            records. Payload types come from the contract (RPC requests by their rpc-method header, dead \
            letters by their source topic) or --type.

            Examples:
              trialtransit consume --topic enrollment.events.v1 --max 10
              trialtransit consume --topic trial.access.events.v1 \\
                --from-time 2026-01-02T08:00:00Z --follow
              trialtransit consume --topic enrollment.events.v1 \\
                --filter body=patientReferred | jq .value
            """
    )

    @OptionGroup var options: OperationsOptions

    @Option(help: "Topic to read.")
    var topic: String

    @Option(help: "Message type to decode with. Default: the contract's type of the topic.")
    var type: String?

    @Option(name: .customLong("from-offset"), parsing: .singleValue, help: ArgumentHelp("Start partition P at offset O (repeatable).", valueName: "P:O"))
    var fromOffsets: [String] = []

    @Option(help: ArgumentHelp("Start at the first record at or after this time (ISO 8601 or unix ms).", valueName: "time"))
    var fromTime: String?

    @Option(help: "Stop after this many records.")
    var max: Int?

    @Flag(help: "Keep waiting for new records (stop with Ctrl-C).")
    var follow = false

    @OptionGroup var selectionOptions: SelectionOptions

    func run() async throws {
        try await OperationError.reporting { try await consume() }
    }

    private func consume() async throws {
        guard fromOffsets.isEmpty || fromTime == nil else { throw OperationError("give at most one of --from-offset and --from-time") }
        let fromMillis = try fromTime.map { try TimeArgument.milliseconds($0, option: "--from-time") }
        let offsets = try fromOffsets.map(ReplayCommand.parseOffset)
        if let type, WireRegistry.messageType(named: type) == nil { throw OperationError("unknown message type '\(type)'") }
        if let max, max <= 0 { throw OperationError("--max must be positive") }
        let catalog = TopicCatalog(topics: options.topics)
        let selection = try selectionOptions.selection(typeName: type ?? catalog.messageType(forTopic: topic), source: "'\(topic)'")

        let session = try await options.connect(clientID: "trialtransit-consume")
        let metadata = try session.requireTopic(topic)
        var starts: [Int32: Int64] = [:]
        if let fromMillis {
            for entry in try await session.admin.offsets(forTimestamp: fromMillis, topic: topic, timeout: session.timeout) {
                starts[entry.partition] = entry.offset
            }
        } else if !offsets.isEmpty {
            let known = Set(metadata.partitions.map(\.id))
            for entry in offsets {
                guard known.contains(entry.partition) else { throw OperationError("topic '\(topic)' has no partition \(entry.partition)") }
                starts[entry.partition] = entry.offset
            }
        } else {
            for partition in metadata.partitions { starts[partition.id] = 0 }
        }
        let decoder = RecordDecoder(catalog: catalog, typeOverride: type)
        var printed = 0
        let limit = max ?? Int.max
        func show(_ message: KafkaConsumerMessage) -> Bool {
            let decoded = decoder.decode(message)
            guard selection.matches(key: message.keyString, json: selection.filters.isEmpty ? nil : decoded.document) else { return true }
            print(RecordJSON.render(message, decoded: decoded))
            printed += 1
            return printed < limit
        }
        if follow {
            let consumer = try session.reader()
            try consumer.assign(
                starts.map { KafkaTopicPartitionOffset(topic: topic, partition: $0.key, offset: $0.value < 0 ? KafkaOffset.end : $0.value) })
            defer { Task { try? await consumer.close() } }
            while true {
                for message in try await consumer.poll(maxMessages: 500, timeout: .milliseconds(500)) {
                    guard show(message) else { return }
                }
            }
        }
        let ranges = try await TopicWindowReader.ranges(session: session, topic: topic, starts: starts, endTime: nil)
        let reader = TopicWindowReader(session: session, topic: topic, ranges: ranges)
        struct Done: Error {}
        do {
            try await reader.read { message in
                if !show(message) { throw Done() }
            }
        } catch is Done {}
    }
}
