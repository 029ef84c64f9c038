import ArgumentParser
import Logging
import TransitCommandLine
import TransitRPC
import TransitRuntime
import TransitStore

/// `--store sqlite:PATH | postgres://…`, falling back to `TRIALTRANSIT_STORE`, then to the
/// embedded default `sqlite:trialtransit.sqlite`.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "State store: sqlite:PATH (embedded, default sqlite:trialtransit.sqlite; "
                + "sqlite:PATH?synchronous=normal trades power-loss safety for speed) or postgres://USER@HOST:PORT/DB. "
                + "Default: $TRIALTRANSIT_STORE.",
            valueName: "store"))
    var store: String?

    @Option(
        name: .long,
        help: "Seconds a worker's store calls may keep failing (retried with backoff) before /readyz reports it not ready. Default: 30.")
    var storeRetryBudget = 30

    /// ``storeRetryBudget`` as a duration (``WorkerOptions/storeRetryBudget``).
    var retryBudget: Duration { .seconds(max(0, storeRetryBudget)) }

    /// `options` with this store's retry budget.
    func applied(to options: WorkerOptions) -> WorkerOptions {
        var options = options
        options.storeRetryBudget = retryBudget
        return options
    }

    var location: String { store ?? environment("TRIALTRANSIT_STORE") ?? "sqlite:trialtransit.sqlite" }

    func validate() throws {
        let value = location
        guard value.hasPrefix("sqlite:") || value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") else {
            throw ValidationError("--store must be sqlite:PATH or postgres://…, not '\(value)'")
        }
        if value.hasPrefix("sqlite:") { _ = try Self.sqlite(value) }
    }

    /// The path and durability of `sqlite:PATH[?synchronous=full|normal]`.
    static func sqlite(_ value: String) throws -> (path: String, durability: SQLiteDurability) {
        let location = value.dropFirst("sqlite:".count)
        guard let query = location.firstIndex(of: "?") else { return (String(location), .full) }
        let option = location[location.index(after: query)...]
        guard option.hasPrefix("synchronous="),
            let durability = SQLiteDurability(rawValue: String(option.dropFirst("synchronous=".count)).lowercased())
        else {
            throw ValidationError("--store sqlite:PATH takes only ?synchronous=full or ?synchronous=normal, not '?\(option)'")
        }
        return (String(location[..<query]), durability)
    }

    /// Opens the store and runs its migrations.
    func open(logger: Logger) async throws -> any TransitStore {
        let value = location
        let store: any TransitStore
        if value.hasPrefix("sqlite:") {
            let (path, durability) = try Self.sqlite(value)
            store = try SQLiteStore(path: path, logger: logger, durability: durability)
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
