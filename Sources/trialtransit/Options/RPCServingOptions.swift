import ArgumentParser
import TransitCommandLine
import TransitRPC

/// `--reply-topic-pattern` and `--idempotency-retention-hours` of the commands that serve RPCs,
/// falling back to `TRIALTRANSIT_REPLY_TOPIC_PATTERN` and `TRIALTRANSIT_IDEMPOTENCY_RETENTION_HOURS`.
struct RPCServingOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Topics RPC replies may go to, after the topic prefix; '*' stands for the client id ([A-Za-z0-9_-]). "
                + "Requests naming another reply-to are refused, audited and counted. "
                + "Default: $TRIALTRANSIT_REPLY_TOPIC_PATTERN or \(ReplyTopicRule.defaultPattern).",
            valueName: "pattern"))
    var replyTopicPattern: String?

    @Option(
        help: ArgumentHelp(
            "Hours an RPC answer stays stored under its idempotency key (0: forever). "
                + "Default: $TRIALTRANSIT_IDEMPOTENCY_RETENTION_HOURS or 24.",
            valueName: "hours"))
    var idempotencyRetentionHours: Int?

    private var pattern: String {
        replyTopicPattern ?? environment("TRIALTRANSIT_REPLY_TOPIC_PATTERN") ?? ReplyTopicRule.defaultPattern
    }

    private var hours: Int {
        idempotencyRetentionHours ?? environment("TRIALTRANSIT_IDEMPOTENCY_RETENTION_HOURS").flatMap { Int($0) } ?? 24
    }

    func validate() throws {
        guard ReplyTopicRule(pattern: pattern) != nil else {
            throw ValidationError(
                "reply topic pattern '\(pattern)' must hold exactly one '*' and otherwise only [A-Za-z0-9._-]")
        }
        if let raw = environment("TRIALTRANSIT_IDEMPOTENCY_RETENTION_HOURS"), idempotencyRetentionHours == nil,
            Int(raw) == nil
        {
            throw ValidationError("TRIALTRANSIT_IDEMPOTENCY_RETENTION_HOURS must be a whole number of hours, not '\(raw)'")
        }
        guard hours >= 0 else { throw ValidationError("--idempotency-retention-hours must be 0 (forever) or more") }
    }

    /// For ``WorkerOptions/replyTopics`` and the Health server (validated in ``validate()``).
    var replyTopics: ReplyTopicRule { ReplyTopicRule(pattern: pattern) ?? .standard }

    /// For ``WorkerOptions/idempotencyRetention``: nil keeps every answer.
    var idempotencyRetention: Duration? { hours == 0 ? nil : .seconds(hours * 3600) }
}
