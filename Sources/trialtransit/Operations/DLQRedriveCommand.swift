import ArgumentParser
import TransitKafka
import TransitRPC
import TransitWire

/// `trialtransit dlq redrive`: sends dead letters back to their source topic; audited.
struct DLQRedriveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redrive",
        abstract: "Send selected dead letters back to their source topic (or --to-topic); audited like a replay.",
        discussion: """
            Republishes each selected dead letter's original key, value and headers (the dlq-* headers \
            removed) to its dlq-source-topic, on its source partition, plus `replay-id` (the id of this \
            redrive) and `replayed-from` (the original <topic>/<partition>/<offset>): a worker whose inbox \
            already recorded the event id (because its handler refused it) processes it again. Fix the cause \
            first (publish the missing trial, deploy the reader that knows the new body), then redrive. \
            Redriving the same dead letter twice processes it twice. Writes an AuditRecord (action REDRIVE) \
            to trialtransit.audit.v1; --dry-run prints what would be sent and sends nothing.

            Examples:
              trialtransit dlq redrive --offset 0:12
              trialtransit dlq redrive --all --code UNKNOWN_REFERENCE \\
                --source-topic enrollment.events.v1 --dry-run
              trialtransit dlq redrive --all --group trialtransit.trial-access \\
                --source-topic enrollment.events.v1 --filter body=visitCancelled
            """
    )

    @OptionGroup var options: OperationsOptions

    @Option(name: .customLong("offset"), parsing: .singleValue, help: ArgumentHelp("Dead letter to redrive (repeatable).", valueName: "P:O"))
    var positions: [String] = []

    @Flag(help: "Redrive every dead letter that matches the other options.")
    var all = false

    @OptionGroup var queryOptions: DeadLetterQueryOptions
    @OptionGroup var selectionOptions: SelectionOptions

    @Option(help: "Message type for --filter. Default: the contract's type of --source-topic.")
    var type: String?

    @OptionGroup var republish: RepublishOptions

    @OptionGroup var actor: ActorOptions

    func run() async throws {
        try await OperationError.reporting { try await redrive() }
    }

    private func redrive() async throws {
        guard all != !positions.isEmpty else { throw OperationError("give --offset P:O (repeatable) or --all") }
        let wanted = try positions.map(DeadLetterFormat.parsePosition)
        let ratePerSecond = try RateArgument.perSecond(republish.rate)
        if let type, WireRegistry.messageType(named: type) == nil { throw OperationError("unknown message type '\(type)'") }
        let catalog = TopicCatalog(topics: options.topics)
        let typeName = type ?? queryOptions.sourceTopic.flatMap(catalog.messageType(forTopic:))
        let selection = try selectionOptions.selection(
            typeName: typeName, source: "dead letters", hint: "pass --source-topic or --type")

        let session = try await options.connect(clientID: "trialtransit-dlq")
        if !republish.dryRun { _ = try session.requireTopic(session.topics.audit) }
        let decoder = RecordDecoder(catalog: catalog, typeOverride: type)
        let entries = try await DeadLetterReader.read(session: session, positions: all ? nil : wanted)
        let candidates = entries.filter(queryOptions.query.matches)
        var counts = TransferCounts()
        var selected: [DeadLetterEntry] = []
        for entry in candidates {
            counts.read += 1
            let json = selection.filters.isEmpty ? nil : decoder.decode(topic: entry.sourceTopic ?? entry.message.topic, headers: entry.message.headers, value: entry.message.value).document
            if selection.matches(key: entry.message.keyString, json: json) {
                selected.append(entry)
            } else {
                counts.skipped += 1
            }
        }
        // Every target must exist before anything is sent.
        var targets: [String: KafkaTopicMetadata] = [:]
        for entry in selected {
            guard let target = republish.toTopic ?? entry.sourceTopic else {
                throw OperationError("dead letter \(entry.position) has no dlq-source-topic header: pass --to-topic")
            }
            targets[target] = try session.requireTopic(target)
        }

        let redriveID = Identifiers.uuid()
        let producer = republish.dryRun ? nil : try session.producer()
        let republisher =
            if let producer {
                Republisher(producer: producer, ratePerSecond: ratePerSecond, flushTimeout: session.timeout * 3)
            } else {
                Republisher { message in ReplayCommand.dryRunLine(message, decoder: decoder, sourceTopic: message.topic) }
            }
        var progress = ProgressReporter(label: republish.dryRun ? "redrive (dry run)" : "redrive", total: candidates.count, dryRun: republish.dryRun)
        for entry in selected {
            counts.matched += 1
            let target = republish.toTopic ?? entry.sourceTopic ?? ""
            try await republisher.add(Self.redriven(entry, redriveID: redriveID, to: target, partitions: targets[target]?.partitions.count ?? 0))
            counts.published = republisher.published
            counts.failed = republisher.failed
            progress.update(counts)
        }
        try await republisher.finish()
        counts.published = republisher.published
        counts.failed = republisher.failed
        progress.finish(counts)

        guard let producer else {
            print("dry run: \(counts.matched) of \(DeadLetterFormat.count(counts.read)) would be redriven; nothing was sent")
            return
        }
        let positionsText = selected.map(\.position)
        var details: [String: String] = [
            "redrive-id": redriveID, "replay-id": redriveID, "topic": session.topics.deadLetters,
            "to-topic": targets.keys.sorted().joined(separator: ","),
            "dlq-offsets": positionsText.prefix(100).joined(separator: ",") + (positionsText.count > 100 ? ",…" : ""),
        ]
        let query = queryOptions.query
        if let sourceTopic = query.sourceTopic { details["source-topic"] = sourceTopic }
        if let code = query.code { details["code"] = code }
        if let group = query.group { details["group"] = group }
        if !selection.isEmpty { details["filters"] = selection.summary }
        let audit = try await AuditTrail.write(
            action: .redrive, actor: actor.resolved, subject: "topic:" + session.topics.deadLetters, details: details,
            counts: counts, producer: producer, topics: session.topics)
        try await producer.close()
        print(
            "redrive \(redriveID): \(DeadLetterFormat.count(counts.read)) considered, \(counts.published) redriven, "
                + "\(counts.skipped) skipped, \(counts.failed) failed -> \(details["to-topic"] ?? ""); audit \(audit.auditId)")
        if counts.failed > 0 { throw OperationError("\(counts.failed) dead letters could not be redriven") }
    }

    /// The original record again: key, value and headers without `dlq-*`, plus `replay-id` and
    /// `replayed-from`; on its source partition when it goes back to its source topic.
    static func redriven(_ entry: DeadLetterEntry, redriveID: String, to target: String, partitions: Int) -> KafkaProducerMessage {
        let origin = entry.sourceTopic == nil ? "\(entry.message.topic)/\(entry.message.partition)/\(entry.message.offset)" : entry.provenance
        let headers =
            entry.originalHeaders.filter { $0.name != TransitHeaders.replayID && $0.name != TransitHeaders.replayedFrom } + [
                KafkaHeader(name: TransitHeaders.replayID, string: redriveID),
                KafkaHeader(name: TransitHeaders.replayedFrom, string: origin),
            ]
        var partition: Int32?
        if target == entry.sourceTopic, let source = entry.sourcePartition, source < partitions { partition = source }
        return KafkaProducerMessage(
            topic: target, partition: partition, key: entry.message.key.map(Array.init), value: Array(entry.message.value),
            headers: headers)
    }
}
