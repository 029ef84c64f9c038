import ArgumentParser
import TransitCommandLine
import TransitRuntime

/// `--instance-id`, `--session-timeout` and `--max-poll-interval`: how a worker process holds its
/// place in its consumer groups (static membership, `group.instance.id`; see DESIGN.md, Operations).
struct MembershipOptions: ParsableArguments {
    @Option(
        name: .customLong("instance-id"),
        help: ArgumentHelp(
            "Static group membership id (group.instance.id), unique per process, e.g. the pod name of a StatefulSet: a restarted process takes its own place in its groups at once, a dead one is replaced after the session timeout. Default: $TRIALTRANSIT_INSTANCE_ID, else dynamic membership.",
            valueName: "id"))
    var instanceID: String?

    @Option(help: "Consumer session timeout in seconds.")
    var sessionTimeout = 10

    @Option(help: "Most seconds between polls (also how long a rebalance waits for a crashed member on some brokers).")
    var maxPollInterval = 30

    func validate() throws {
        guard sessionTimeout > 0 else { throw ValidationError("--session-timeout must be positive") }
        guard maxPollInterval > 0 else { throw ValidationError("--max-poll-interval must be positive") }
        if let id = effectiveInstanceID, id.isEmpty || id.utf8.count > 249 {
            throw ValidationError("--instance-id must be 1 to 249 characters")
        }
    }

    /// The option, else `$TRIALTRANSIT_INSTANCE_ID` (empty: none).
    var effectiveInstanceID: String? {
        if let instanceID { return instanceID }
        guard let value = environment("TRIALTRANSIT_INSTANCE_ID"), !value.isEmpty else { return nil }
        return value
    }

    /// `options` with this process's session timeout, poll interval and instance id.
    func applied(to options: WorkerOptions) -> WorkerOptions {
        var options = options
        options.sessionTimeout = .seconds(sessionTimeout)
        options.maxPollInterval = .seconds(maxPollInterval)
        options.instanceID = effectiveInstanceID
        return options
    }

    /// One line for the start-up banner.
    var banner: String {
        effectiveInstanceID.map { "instance \($0)" } ?? "dynamic membership"
    }
}
