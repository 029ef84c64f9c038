import ArgumentParser
import TransitRPC

/// `--reply-topic-pattern` and `--idempotency-retention-hours` of the commands that serve RPCs
/// (also `TRIALTRANSIT_REPLY_TOPIC_PATTERN` and `TRIALTRANSIT_IDEMPOTENCY_RETENTION_HOURS`, as every option).
struct RPCServingOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Topics RPC replies may go to, after the topic prefix; '*' stands for the client id ([A-Za-z0-9_-]). "
                + "Requests naming another reply-to are refused, audited and counted. "
                + "Also $TRIALTRANSIT_REPLY_TOPIC_PATTERN.",
            valueName: "pattern"))
    var replyTopicPattern = ReplyTopicRule.defaultPattern

    @Option(
        help: ArgumentHelp(
            "Hours an RPC answer stays stored under its idempotency key (0: forever). "
                + "Also $TRIALTRANSIT_IDEMPOTENCY_RETENTION_HOURS.",
            valueName: "hours"))
    var idempotencyRetentionHours = 24

    func validate() throws {
        guard ReplyTopicRule(pattern: replyTopicPattern) != nil else {
            throw ValidationError(
                "reply topic pattern '\(replyTopicPattern)' must hold exactly one '*' and otherwise only [A-Za-z0-9._-]")
        }
        guard idempotencyRetentionHours >= 0 else { throw ValidationError("--idempotency-retention-hours must be 0 (forever) or more") }
    }

    /// For ``WorkerOptions/replyTopics`` and the Health server (validated in ``validate()``).
    var replyTopics: ReplyTopicRule { ReplyTopicRule(pattern: replyTopicPattern) ?? .standard }

    /// For ``WorkerOptions/idempotencyRetention``: nil keeps every answer.
    var idempotencyRetention: Duration? { idempotencyRetentionHours == 0 ? nil : .seconds(idempotencyRetentionHours * 3600) }
}
