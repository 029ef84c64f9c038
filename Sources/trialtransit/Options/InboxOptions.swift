import ArgumentParser

/// `--inbox-retention-days` (`TRIALTRANSIT_INBOX_RETENTION_DAYS`, config key `inbox-retention-days`), default 30.
struct InboxOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Days a worker's inbox remembers processed event ids (0: forever). Must exceed the input topics' "
                + "retention (14 days at most). Also $TRIALTRANSIT_INBOX_RETENTION_DAYS.",
            valueName: "days"))
    var inboxRetentionDays = 30

    func validate() throws {
        guard inboxRetentionDays >= 0 else { throw ValidationError("--inbox-retention-days must be 0 (forever) or more") }
    }

    /// For ``WorkerOptions/inboxRetention``: nil keeps every row.
    var retention: Duration? { inboxRetentionDays == 0 ? nil : .seconds(inboxRetentionDays * 24 * 3600) }
}
