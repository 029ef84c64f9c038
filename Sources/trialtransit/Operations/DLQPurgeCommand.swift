import ArgumentParser
import TransitKafka
import TransitWire

/// `trialtransit dlq purge`: removes an erased patient's dead letters by a filtered rewrite.
struct DLQPurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Remove every dead letter of one patient (after an erasure) by rewriting the dead-letter topic.",
        discussion: """
            Selects the dead letters whose key is the patient ref (travel requests, trial-access events and \
            TransportBooking requests are keyed by it). In each partition holding one, the other dead letters \
            read up to the high watermark are copied to the end of the same partition (key, value and every \
            header kept), then everything before that watermark is deleted (Kafka DeleteRecords): the \
            patient's dead letters are gone for every reader, the others keep their provenance but get new \
            positions (P:O). Dead letters written while it runs land after the watermark and stay. Partitions \
            without a match are not touched. Writes an AuditRecord (action ERASURE, subject the patient ref, \
            no other personal data); --dry-run prints the counts and changes nothing.

            If it stops between the copy and the delete, run it again: the copies made so far may then appear \
            twice (a redrive of both is harmless: a tombstoned patient's inputs are no-ops, others are deduped \
            by their effects' ids).

            Examples:
              trialtransit dlq purge --patient-ref p-7Q2XK9 --dry-run
              trialtransit dlq purge --patient-ref p-7Q2XK9 --actor ops:dpo
            """
    )

    @OptionGroup var options: OperationsOptions

    @Option(help: "The erased patient's ref (the key of their dead letters).")
    var patientRef: String

    @Flag(help: "Print what would be removed and kept; change nothing.")
    var dryRun = false

    @OptionGroup var actor: ActorOptions

    func run() async throws {
        try await OperationError.reporting { try await purge() }
    }

    private func purge() async throws {
        guard !patientRef.isEmpty else { throw OperationError("--patient-ref is empty") }
        let session = try await options.connect(clientID: "trialtransit-dlq")
        let topic = session.topics.deadLetters
        let metadata = try session.requireTopic(topic)
        if !dryRun { _ = try session.requireTopic(session.topics.audit) }
        var starts: [Int32: Int64] = [:]
        for partition in metadata.partitions { starts[partition.id] = 0 }
        let ranges = try await TopicWindowReader.ranges(session: session, topic: topic, starts: starts, endTime: nil)
        var byPartition: [Int32: [KafkaConsumerMessage]] = [:]
        try await TopicWindowReader(session: session, topic: topic, ranges: ranges).read { message in
            byPartition[message.partition, default: []].append(message)
        }

        var counts = TransferCounts()
        var copies: [KafkaProducerMessage] = []
        var before: [KafkaTopicPartitionOffset] = []
        for range in ranges.sorted(by: { $0.partition < $1.partition }) {
            let messages = (byPartition[range.partition] ?? []).sorted { $0.offset < $1.offset }
            counts.read += messages.count
            let purged = messages.filter { $0.keyString == patientRef }
            guard !purged.isEmpty else { continue }
            counts.matched += purged.count
            let kept = messages.filter { $0.keyString != patientRef }
            counts.skipped += kept.count
            copies += kept.map { message in
                KafkaProducerMessage(
                    topic: topic, partition: message.partition, key: message.key.map(Array.init),
                    value: Array(message.value), headers: message.headers)
            }
            before.append(KafkaTopicPartitionOffset(topic: topic, partition: range.partition, offset: range.end))
        }
        let partitions = before.map { String($0.partition) }.joined(separator: ",")
        let scope = "from \(topic) (partitions \(partitions.isEmpty ? "none" : partitions))"
        if dryRun {
            print(
                "dry run: \(counts.matched) of \(counts.read) dead letters would be removed \(scope), "
                    + "\(counts.skipped) rewritten; nothing was changed")
            return
        }
        let producer = try session.producer()
        if !copies.isEmpty {
            try await producer.send(copies)
            counts.published = copies.count
        }
        try await session.admin.deleteRecords(before: before)
        let audit = try await AuditTrail.write(
            action: .erasure, actor: actor.resolved, subject: patientRef,
            details: [
                "outcome": "dead-letters-purged", "topic": topic, "partitions": partitions,
                "purged": String(counts.matched), "rewritten": String(counts.published),
            ],
            counts: counts, producer: producer, topics: session.topics)
        try await producer.close()
        print(
            "purge: \(counts.matched) of \(counts.read) dead letters removed \(scope), "
                + "\(counts.published) rewritten; audit \(audit.auditId)")
    }
}
