import ArgumentParser
import TransitCommandLine

/// `--instance-id` and `--session-timeout`: how a worker process holds its place in its consumer
/// groups (static membership, `group.instance.id`; see DESIGN.md, Operations).
struct MembershipOptions: ParsableArguments {
    @Option(
        name: .customLong("instance-id"),
        help: ArgumentHelp(
            "Static group membership id (group.instance.id), unique per process, e.g. the pod name of a StatefulSet: a restarted process takes its own place in its groups at once, a dead one is replaced after the session timeout. Default: $TRIALTRANSIT_INSTANCE_ID, else dynamic membership.",
            valueName: "id"))
    var instanceID: String?

    @Option(help: "Consumer session timeout in seconds.")
    var sessionTimeout = 10

    func validate() throws {
        guard sessionTimeout > 0 else { throw ValidationError("--session-timeout must be positive") }
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

    /// One line for the start-up banner.
    var banner: String {
        effectiveInstanceID.map { "instance \($0)" } ?? "dynamic membership"
    }
}
