import ArgumentParser
import TransitCommandLine

/// `--inbox-retention-days`, falling back to `TRIALTRANSIT_INBOX_RETENTION_DAYS`, then 30.
struct InboxOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Days a worker's inbox remembers processed event ids (0: forever). Must exceed the input topics' "
                + "retention (14 days at most). Default: $TRIALTRANSIT_INBOX_RETENTION_DAYS or 30.",
            valueName: "days"))
    var inboxRetentionDays: Int?

    var days: Int { inboxRetentionDays ?? environment("TRIALTRANSIT_INBOX_RETENTION_DAYS").flatMap { Int($0) } ?? 30 }

    func validate() throws {
        if let raw = environment("TRIALTRANSIT_INBOX_RETENTION_DAYS"), inboxRetentionDays == nil, Int(raw) == nil {
            throw ValidationError("TRIALTRANSIT_INBOX_RETENTION_DAYS must be a whole number of days, not '\(raw)'")
        }
        guard days >= 0 else { throw ValidationError("--inbox-retention-days must be 0 (forever) or more") }
    }

    /// For ``WorkerOptions/inboxRetention``: nil keeps every row.
    var retention: Duration? { days == 0 ? nil : .seconds(days * 24 * 3600) }
}
