import TransitKafka
import TransitWire

/// A request whose `reply-to` the ``ReplyTopicRule`` does not admit. It is refused without an
/// answer (nothing is written to the named topic), recorded as an `AuditRecord`
/// (`AUDIT_ACTION_REQUEST_REFUSED`) that holds topic names, offsets and codes only, never the
/// request's body or key, and kept like any input that can never succeed: dead-lettered with
/// code `REPLY_TO_NOT_ALLOWED` (the operators' DLQ, which holds inputs as they came).
public struct ReplyRefusal: Sendable {
    /// `details["reason"]` of the audit record.
    public static let reasonCode = "REPLY_TO_NOT_ALLOWED"

    /// The refused request record.
    public var message: KafkaConsumerMessage

    public init(message: KafkaConsumerMessage) {
        self.message = message
    }

    /// The request's `topic/partition/offset`: the audit record's id and `details["source"]`.
    public var source: String { "\(message.topic)/\(message.partition)/\(message.offset)" }

    /// The audit record, keyed (subject) `topic:<request topic>`. Its id is derived from the
    /// request's position, so a batch written again yields the same record.
    public func auditRecord(actor: String, at now: Int64) -> AuditRecord {
        var record = AuditRecord()
        record.auditId = "request-refused:" + source
        record.occurredAt = now
        record.actor = actor
        record.action = .requestRefused
        record.subject = "topic:" + message.topic
        record.details = [
            "reason": Self.reasonCode,
            "source": source,
            "method": Self.printable(message.headers.string(TransitHeaders.rpcMethod), limit: 200),
            "reply-to": Self.printable(message.headers.string(TransitHeaders.replyTo), limit: 249),
        ]
        return record
    }

    /// The audit record as a record for the audit topic.
    public func producerMessage(actor: String, at now: Int64, topics: TransitTopics) -> KafkaProducerMessage {
        let record = auditRecord(actor: actor, at: now)
        return KafkaProducerMessage(topic: topics.audit, key: record.subject, value: record.wireBytes())
    }

    /// The records a refusal writes: the audit record, then the request's dead letter.
    public func producerMessages(actor: String, group: String, at now: Int64, topics: TransitTopics)
        -> [KafkaProducerMessage]
    {
        let reason = "reply-to \(Self.printable(message.headers.string(TransitHeaders.replyTo), limit: 249)) is not a reply topic"
        return [
            producerMessage(actor: actor, at: now, topics: topics),
            DeadLetter(message: message, group: group, attempts: 1, code: Self.reasonCode, reason: reason, failedAt: now)
                .producerMessage(topics: topics),
        ]
    }

    /// An untrusted header value fit for the audit trail: kept when it looks like a topic name or
    /// a gRPC path (`[A-Za-z0-9._/-]`, at most `limit` bytes), otherwise only its length.
    static func printable(_ value: String?, limit: Int) -> String {
        guard let value, !value.isEmpty else { return "(none)" }
        let fits = value.utf8.count <= limit
            && value.utf8.allSatisfy { ReplyTopicRule.isTopicByte($0) || $0 == UInt8(ascii: "/") }
        return fits ? value : "(\(value.utf8.count) bytes, not a topic name)"
    }
}
