import TransitStore
import TransitWire

/// How `dlq list --store` prints the store's dead outbox: outputs that could be neither published
/// nor dead-lettered (e.g. larger than any topic accepts).
enum DeadOutboxFormat {
    static let tableHeader = ["DEAD".padded(8), "FAILED AT".padded(25), "CODE".padded(18), "TOPIC".padded(40), "BYTES"].joined(separator: " ")

    static func tableRow(_ entry: DeadOutboxEntry) -> String {
        let code = header(entry, "dlq-error-code") ?? "-"
        let columns = [
            "#\(entry.id)".padded(8), TimeArgument.iso(entry.failedAt).padded(25), code.padded(18), entry.message.topic.padded(40),
            String(entry.message.value.count),
        ]
        var lines = [columns.joined(separator: " ")]
        lines.append("    reason: " + entry.reason)
        if let source = header(entry, "dlq-source-topic") {
            lines.append("    source: \(source)/\(header(entry, "dlq-source-partition") ?? "?")/\(header(entry, "dlq-source-offset") ?? "?")")
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ entry: DeadOutboxEntry) -> String {
        JSONText.object([
            ("deadOutbox", String(entry.id)), ("outboxId", String(entry.message.id)), ("topic", JSONText.quoted(entry.message.topic)),
            ("failedAt", String(entry.failedAt)), ("reason", JSONText.quoted(entry.reason)),
            ("code", header(entry, "dlq-error-code").map(JSONText.quoted) ?? "null"),
            ("bytes", String(entry.message.value.count)),
            ("headers", JSONText.object(entry.message.headers.map { ($0.name, JSONText.quoted(String(decoding: $0.value, as: UTF8.self))) })),
        ])
    }

    /// "1 row", "2 rows".
    static func count(_ count: Int) -> String { count == 1 ? "1 row" : "\(count) rows" }

    private static func header(_ entry: DeadOutboxEntry, _ name: String) -> String? {
        entry.message.headers.last { $0.name == name }.map { String(decoding: $0.value, as: UTF8.self) }
    }
}
