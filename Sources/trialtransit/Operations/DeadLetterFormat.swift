import TransitKafka
import TransitRPC
import TransitWire

/// How `dlq list` and `dlq show` print dead letters.
enum DeadLetterFormat {
    static let tableHeader = [
        "DLQ".padded(8), "FAILED AT".padded(25), "CODE".padded(18), "SOURCE".padded(40), "GROUP".padded(28), "TRIES",
    ].joined(separator: " ")

    static func tableRow(_ entry: DeadLetterEntry, decoder: RecordDecoder) -> String {
        let decoded = decoder.decode(topic: entry.sourceTopic ?? entry.message.topic, headers: entry.message.headers, value: entry.message.value)
        let columns = [
            entry.position.padded(8), (entry.failedAt.map(TimeArgument.iso) ?? "?").padded(25), (entry.code ?? "?").padded(18),
            entry.provenance.padded(40), (entry.group ?? "?").padded(28), entry.attempts ?? "?",
        ]
        var lines = [columns.joined(separator: " ")]
        lines.append("    reason: " + (entry.reason ?? "(none)"))
        if let replayID = entry.message.headers.string(TransitHeaders.replayID) {
            lines.append("    replayed: replay-id \(replayID) from \(entry.message.headers.string(TransitHeaders.replayedFrom) ?? "?")")
        }
        if let json = decoded.json {
            lines.append("    value: " + (decoded.typeName.map { $0 + " " } ?? "") + json.truncated(240))
        } else {
            lines.append("    value: \(entry.message.valueCount) bytes (\(decoded.problem ?? "not decoded"))")
        }
        return lines.joined(separator: "\n")
    }

    static func detail(_ entry: DeadLetterEntry, decoder: RecordDecoder) -> String {
        let message = entry.message
        let decoded = decoder.decode(topic: entry.sourceTopic ?? message.topic, headers: message.headers, value: message.value)
        var lines = ["dead letter \(entry.position) in \(message.topic)"]
        func add(_ name: String, _ value: String) { lines.append("  " + name.padded(14) + value) }
        add("failed at", entry.failedAt.map { "\(TimeArgument.iso($0)) (\($0))" } ?? "?")
        add("error code", entry.code ?? "?")
        add("reason", entry.reason ?? "?")
        add("source", entry.provenance)
        add("group", entry.group ?? "?")
        add("attempts", entry.attempts ?? "?")
        add("key", message.keyString ?? "(none)")
        add("headers", "")
        for header in message.headers { lines.append("    \(header.name): \(header.stringValue ?? "(no value)")") }
        add("type", decoded.typeName ?? "(unknown)")
        if let json = decoded.json {
            add("value", json)
        } else {
            add("value", "\(message.valueCount) bytes, base64 \(Base64.encode(Array(message.value)))")
            add("problem", decoded.problem ?? "not decoded")
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ entry: DeadLetterEntry, decoder: RecordDecoder) -> String {
        let message = entry.message
        let decoded = decoder.decode(topic: entry.sourceTopic ?? message.topic, headers: message.headers, value: message.value)
        let provenance = JSONText.object([
            ("sourceTopic", entry.sourceTopic.map(JSONText.quoted) ?? "null"),
            ("sourcePartition", entry.sourcePartition.map { String($0) } ?? "null"),
            ("sourceOffset", entry.sourceOffset.map { String($0) } ?? "null"),
            ("group", entry.group.map(JSONText.quoted) ?? "null"),
            ("attempts", entry.attempts.map(JSONText.quoted) ?? "null"),
            ("code", entry.code.map(JSONText.quoted) ?? "null"),
            ("reason", entry.reason.map(JSONText.quoted) ?? "null"),
            ("failedAt", entry.failedAt.map { String($0) } ?? "null"),
        ])
        return RecordJSON.render(
            topic: message.topic, partition: message.partition, offset: message.offset, timestamp: message.timestamp,
            key: message.key.map(Array.init), headers: message.headers, value: message.value, decoded: decoded,
            extra: [("deadLetter", provenance)])
    }

    /// "1 dead letter", "2 dead letters".
    static func count(_ count: Int) -> String { count == 1 ? "1 dead letter" : "\(count) dead letters" }

    /// `P:O`.
    static func parsePosition(_ text: String) throws -> KafkaTopicPartitionOffset {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let partition = Int32(parts[0]), partition >= 0, let offset = Int64(parts[1]), offset >= 0 else {
            throw OperationError("cannot read dead-letter position '\(text)': expected PARTITION:OFFSET such as 0:12")
        }
        return KafkaTopicPartitionOffset(topic: "", partition: partition, offset: offset)
    }
}

extension String {
    /// Left-aligned in `width` columns (never cut).
    func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// At most `limit` characters, with `…` when cut.
    func truncated(_ limit: Int) -> String {
        count <= limit ? self : String(prefix(limit - 1)) + "…"
    }
}
