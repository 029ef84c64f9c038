import ArgumentParser
import TransitKafka
import TransitRPC
import TransitWire

/// `trialtransit replay`: re-publishes a window of a topic for a deliberate re-run.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Re-publish a window of a topic, filtered, with replay-id and replayed-from headers; audited.",
        discussion: """
            Reads the window (from an offset or a time, up to --to-time or the end of the topic as it is \
            when the replay starts), keeps the records that match every --filter and --key, and publishes \
            them again with their original key, value, headers and timestamp, plus `replay-id` (new for \
            this run) and `replayed-from` (<topic>/<partition>/<offset>). Workers process a record with a \
            replay-id again even if they saw its event_id. Records that already carry a replay-id (copies \
            from earlier replays) and, with --from-time, records stamped before it are skipped. Progress \
            goes to stderr, the summary to stdout, \
            and an AuditRecord (action REPLAY) to trialtransit.audit.v1. --dry-run prints each record that \
            would be sent as a JSON line and sends nothing (no audit either).

            Examples:
              trialtransit replay --topic enrollment.events.v1 \\
                --from-time 2026-01-02T08:00:00Z --to-time 2026-01-02T09:00:00Z \\
                --filter body=visitCancelled --dry-run
              trialtransit replay --topic enrollment.events.v1 --from-offset 3:1042 \\
                --key p-7f3a9c --rate 100/s
              trialtransit replay --topic enrollment.events.v1 --from-time 2026-01-02 \\
                --filter patientReferred.conditionCode=C34.1
            """
    )

    @OptionGroup var options: OperationsOptions

    @Option(help: "Topic to read the window from.")
    var topic: String

    @Option(
        name: .customLong("from-offset"), parsing: .singleValue,
        help: ArgumentHelp("Start partition P at offset O. Repeatable; only the partitions named are read.", valueName: "P:O"))
    var fromOffsets: [String] = []

    @Option(help: ArgumentHelp("Start every partition at the first record at or after this time (ISO 8601 or unix ms).", valueName: "time"))
    var fromTime: String?

    @Option(help: ArgumentHelp("End before the first record at or after this time. Default: the end of the topic now.", valueName: "time"))
    var toTime: String?

    @Option(name: .customLong("partition"), parsing: .singleValue, help: "Only this partition (repeatable).")
    var partitions: [Int32] = []

    @OptionGroup var selectionOptions: SelectionOptions

    @Option(help: "Message type for decoding and filters. Default: the contract's type of the topic.")
    var type: String?

    @OptionGroup var republish: RepublishOptions

    @Flag(help: "Also replay records that are themselves replays (carry a replay-id); by default they are skipped.")
    var includeReplays = false

    @Option(help: "Seconds without a record after which a partition that did not reach its end offset is considered done.")
    var idleTimeout = 5

    @OptionGroup var actor: ActorOptions

    func run() async throws {
        try await OperationError.reporting { try await replay() }
    }

    private func replay() async throws {
        // Everything that needs no broker is checked first.
        guard fromOffsets.isEmpty != (fromTime == nil) else {
            throw OperationError("give exactly one of --from-offset P:O and --from-time TIME")
        }
        let fromMillis = try fromTime.map { try TimeArgument.milliseconds($0, option: "--from-time") }
        let toMillis = try toTime.map { try TimeArgument.milliseconds($0, option: "--to-time") }
        if let fromMillis, let toMillis, toMillis <= fromMillis {
            throw OperationError("--to-time must be after --from-time")
        }
        let offsets = try fromOffsets.map(Self.parseOffset)
        let ratePerSecond = try RateArgument.perSecond(republish.rate)
        let catalog = TopicCatalog(topics: options.topics)
        if let type, WireRegistry.messageType(named: type) == nil {
            throw OperationError("unknown message type '\(type)'")
        }
        let typeName = type ?? catalog.messageType(forTopic: topic)
        let selection = try selectionOptions.selection(typeName: typeName, source: "'\(topic)'")

        let session = try await options.connect()
        let metadata = try session.requireTopic(topic)
        let target = republish.toTopic ?? topic
        let targetMetadata = try session.requireTopic(target)
        if !republish.dryRun { _ = try session.requireTopic(session.topics.audit) }
        let known = Set(metadata.partitions.map(\.id))
        for partition in partitions + offsets.map(\.partition) where !known.contains(partition) {
            throw OperationError("topic '\(topic)' has no partition \(partition) (it has \(known.count))")
        }

        var starts: [Int32: Int64] = [:]
        if let fromMillis {
            for entry in try await session.admin.offsets(forTimestamp: fromMillis, topic: topic, timeout: session.timeout)
            where partitions.isEmpty || partitions.contains(entry.partition) {
                starts[entry.partition] = entry.offset
            }
        } else {
            for entry in offsets where partitions.isEmpty || partitions.contains(entry.partition) {
                starts[entry.partition] = entry.offset
            }
        }
        let ranges = try await TopicWindowReader.ranges(session: session, topic: topic, starts: starts, endTime: toMillis)
        var reader = TopicWindowReader(session: session, topic: topic, ranges: ranges)
        reader.idleTimeout = .seconds(max(1, idleTimeout))

        let replayID = Identifiers.uuid()
        let decoder = RecordDecoder(catalog: catalog, typeOverride: type)
        let keepPartition = target == topic || targetMetadata.partitions.count == metadata.partitions.count
        let producer = republish.dryRun ? nil : try session.producer()
        let republisher =
            if let producer {
                Republisher(producer: producer, ratePerSecond: ratePerSecond, flushTimeout: session.timeout * 3)
            } else {
                Republisher { message in Self.dryRunLine(message, decoder: decoder, sourceTopic: topic) }
            }
        var counts = TransferCounts()
        var progress = ProgressReporter(label: republish.dryRun ? "replay (dry run)" : "replay", total: reader.total, dryRun: republish.dryRun)
        let incomplete = try await reader.read { message in
            if let toMillis, let timestamp = message.timestamp, timestamp >= toMillis { return }
            counts.read += 1
            // Copies from earlier replays (old timestamps at new offsets) are not the window's events.
            let earlier = fromMillis.map { from in message.timestamp.map { $0 < from } ?? false } ?? false
            let copy = !includeReplays && message.headers.string(TransitHeaders.replayID) != nil
            let json = selection.filters.isEmpty || earlier || copy ? nil : decoder.decode(message).document
            guard !earlier && !copy && selection.matches(key: message.keyString, json: json) else {
                counts.skipped += 1
                progress.update(counts)
                return
            }
            counts.matched += 1
            try await republisher.add(
                Self.replayed(message, replayID: replayID, to: target, keepPartition: keepPartition))
            counts.published = republisher.published
            counts.failed = republisher.failed
            progress.update(counts)
        }
        try await republisher.finish()
        counts.published = republisher.published
        counts.failed = republisher.failed
        progress.finish(counts)

        let seconds = progress.elapsedSeconds
        let window = ranges.filter { $0.count > 0 }.map { "\($0.partition):\($0.start)-\($0.end)" }.joined(separator: ",")
        guard let producer else {
            print(
                "dry run: \(counts.matched) of \(counts.read) records read from \(topic) would be published to \(target); "
                    + "nothing was sent")
            return
        }
        var details: [String: String] = [
            "replay-id": replayID, "topic": topic, "to-topic": target, "offsets": window.isEmpty ? "none" : window,
        ]
        if let fromMillis { details["from"] = String(fromMillis) }
        if let toMillis { details["to"] = String(toMillis) }
        if !fromOffsets.isEmpty { details["from-offsets"] = offsets.map { "\($0.partition):\($0.offset)" }.joined(separator: ",") }
        if !partitions.isEmpty { details["partitions"] = partitions.map(String.init).joined(separator: ",") }
        if !selection.isEmpty { details["filters"] = selection.summary }
        if let rate = republish.rate, ratePerSecond != nil { details["rate"] = rate }
        if !incomplete.isEmpty { details["ended-early"] = incomplete.map(String.init).joined(separator: ",") }
        let audit = try await AuditTrail.write(
            action: .replay, actor: actor.resolved, subject: "topic:" + topic, details: details, counts: counts,
            producer: producer, topics: session.topics)
        try await producer.close()
        print(
            "replay \(replayID): \(counts.read) read, \(counts.matched) matched, \(counts.published) published, "
                + "\(counts.skipped) skipped, \(counts.failed) failed in \(Self.seconds(seconds)) s "
                + "(\(Int(progress.rate(counts.read).rounded())) msg/s), \(topic) -> \(target); audit \(audit.auditId)")
        if counts.failed > 0 { throw OperationError("\(counts.failed) records could not be published") }
    }

    /// `P:O` as a partition and offset.
    static func parseOffset(_ text: String) throws -> KafkaTopicPartitionOffset {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let partition = Int32(parts[0]), partition >= 0, let offset = Int64(parts[1]), offset >= 0 else {
            throw OperationError("--from-offset: cannot read '\(text)': expected PARTITION:OFFSET such as 3:1042")
        }
        return KafkaTopicPartitionOffset(topic: "", partition: partition, offset: offset)
    }

    /// The record to publish for `message`: same key, value and timestamp; headers with a new
    /// `replay-id` and `replayed-from`.
    static func replayed(_ message: KafkaConsumerMessage, replayID: String, to target: String, keepPartition: Bool)
        -> KafkaProducerMessage
    {
        let origin = "\(message.topic)/\(message.partition)/\(message.offset)"
        let headers =
            message.headers.filter { $0.name != TransitHeaders.replayID && $0.name != TransitHeaders.replayedFrom } + [
                KafkaHeader(name: TransitHeaders.replayID, string: replayID),
                KafkaHeader(name: TransitHeaders.replayedFrom, string: origin),
            ]
        return KafkaProducerMessage(
            topic: target, partition: keepPartition ? message.partition : nil, key: message.key.map(Array.init),
            value: Array(message.value), headers: headers, timestamp: message.timestamp)
    }

    /// A dry-run line: the record that would be published, with its value decoded.
    static func dryRunLine(_ message: KafkaProducerMessage, decoder: RecordDecoder, sourceTopic: String) -> String {
        let decoded = decoder.decode(topic: sourceTopic, headers: message.headers, value: message.value[...])
        return RecordJSON.render(
            topic: message.topic, partition: message.partition, offset: nil, timestamp: message.timestamp, key: message.key,
            headers: message.headers, value: message.value[...], decoded: decoded)
    }

    static func seconds(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
