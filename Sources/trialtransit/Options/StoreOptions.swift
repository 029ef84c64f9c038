import ArgumentParser
import Logging
import TransitCommandLine
import TransitRPC
import TransitStore

/// `--store sqlite:PATH | postgres://…`, falling back to `TRIALTRANSIT_STORE`, then to the
/// embedded default `sqlite:trialtransit.sqlite`.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "State store: sqlite:PATH (embedded, default sqlite:trialtransit.sqlite) or postgres://USER@HOST:PORT/DB. "
                + "Default: $TRIALTRANSIT_STORE.",
            valueName: "store"))
    var store: String?

    var location: String { store ?? environment("TRIALTRANSIT_STORE") ?? "sqlite:trialtransit.sqlite" }

    func validate() throws {
        let value = location
        guard value.hasPrefix("sqlite:") || value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") else {
            throw ValidationError("--store must be sqlite:PATH or postgres://…, not '\(value)'")
        }
    }

    /// Opens the store and runs its migrations.
    func open(logger: Logger) async throws -> any TransitStore {
        let value = location
        let store: any TransitStore
        if value.hasPrefix("sqlite:") {
            store = try SQLiteStore(path: String(value.dropFirst("sqlite:".count)), logger: logger)
        } else {
            store = try PostgresStore(url: value, logger: logger)
        }
        try await store.migrate()
        return store
    }

    /// The store location without credentials, for the start-up line.
    var redacted: String {
        let value = location
        guard let at = value.firstIndex(of: "@"), let scheme = value.range(of: "://") else { return value }
        return String(value[..<scheme.upperBound]) + "…" + String(value[at...])
    }
}

/// `--topic-prefix`, falling back to `TRIALTRANSIT_TOPIC_PREFIX`.
struct TopicOptions: ParsableArguments {
    @Option(help: "Prefix in front of every topic name (e.g. 'acme.'). Default: $TRIALTRANSIT_TOPIC_PREFIX or none.")
    var topicPrefix: String?

    var topics: TransitTopics { TransitTopics(prefix: topicPrefix ?? environment("TRIALTRANSIT_TOPIC_PREFIX") ?? "") }
}
