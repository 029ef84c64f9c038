import ArgumentParser
import Foundation
import TransitCommandLine
import TransitKafka
import TransitRPC
import TransitWire
import TransitTime

/// `--actor`: who is acting, for the audit trail.
struct ActorOptions: ParsableArguments {
    @Option(help: "Who is acting, for the audit record. Default: ops:$USER.")
    var actor: String?

    var resolved: String {
        if let actor, !actor.isEmpty { return actor }
        return "ops:" + (environment("USER") ?? environment("LOGNAME") ?? "unknown")
    }
}

/// Writes `AuditRecord`s to `trialtransit.audit.v1` (key = subject).
enum AuditTrail {
    /// Publishes one record and returns it once the broker acknowledged it.
    @discardableResult
    static func write(
        action: AuditAction, actor: String, subject: String, details: [String: String], counts: TransferCounts,
        producer: KafkaProducer, topics: TransitTopics
    ) async throws -> AuditRecord {
        var record = AuditRecord()
        record.auditId = Identifiers.uuid()
        record.occurredAt = Identifiers.nowMilliseconds()
        record.actor = actor
        record.action = action
        record.subject = subject
        record.details = details
        record.counts = AuditCounts(
            messagesRead: UInt64(counts.read), messagesPublished: UInt64(counts.published),
            messagesSkipped: UInt64(counts.skipped), messagesFailed: UInt64(counts.failed))
        try await producer.send(KafkaProducerMessage(topic: topics.audit, key: subject, value: record.wireBytes()))
        return record
    }
}

/// Ids and clocks of the operations commands.
enum Identifiers {
    /// A new random UUID, lower case.
    static func uuid() -> String { UUID().uuidString.lowercased() }

    /// Now, unix ms.
    static func nowMilliseconds() -> Int64 { SystemWallClock().nowMilliseconds() }
}
