import ArgumentParser
import Logging
import TransitCommandLine
import TransitRPC
import TransitRuntime
import TransitStore

/// `--store sqlite:PATH | postgres://…` (also `TRIALTRANSIT_STORE`), default the embedded
/// `sqlite:trialtransit.sqlite`.
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
        help: ArgumentHelp(
            "PostgreSQL TLS: libpq sslmode (disable, allow, prefer, require, verify-ca, verify-full). "
                + "Default: $TRIALTRANSIT_POSTGRES_SSLMODE, else libpq's (prefer).", valueName: "mode"))
    var postgresSslmode: String?

    @Option(
        help: ArgumentHelp(
            "PostgreSQL TLS: libpq sslrootcert, PEM file of the CAs that sign the server certificate. "
                + "Default: $TRIALTRANSIT_POSTGRES_SSLROOTCERT.", valueName: "file"))
    var postgresSslrootcert: String?

    var location: String { store ?? "sqlite:trialtransit.sqlite" }

    /// The TLS parameters for a PostgreSQL store, from the options or their variables.
    var postgresTLS: PostgresTLS {
        PostgresTLS(mode: postgresSslmode, rootCertificate: postgresSslrootcert)
    }

    /// The libpq URL: the location with the TLS parameters added.
    func postgresURL() throws -> String {
        do { return try postgresTLS.applied(to: location) } catch let error as StoreError {
            throw ValidationError("--postgres-sslmode/--postgres-sslrootcert: \(error.message)")
        }
    }

    func validate() throws {
        let value = location
        guard value.hasPrefix("sqlite:") || value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") else {
            throw ValidationError("--store must be sqlite:PATH or postgres://…, not '\(value)'")
        }
        if value.hasPrefix("sqlite:") {
            _ = try Self.sqlite(value)
            if postgresTLS != PostgresTLS() { throw ValidationError("--postgres-sslmode/--postgres-sslrootcert need a postgres:// store") }
        } else {
            _ = try postgresURL()
        }
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
            store = try PostgresStore(url: try postgresURL(), logger: logger)
        }
        try await store.migrate()
        return store
    }

    /// The store location with its passwords masked, for the start-up line.
    var redacted: String { PostgresURLRedaction.redacted(location) }
}

/// `--store-retry-budget SECONDS`, for the commands that run workers (not the one-shot tools).
struct StoreRetryOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "Seconds a worker's store calls may keep failing (retried with backoff) before /readyz reports it not ready. Default: 30.")
    var storeRetryBudget = 30

    /// `options` with this retry budget (``WorkerOptions/storeRetryBudget``).
    func applied(to options: WorkerOptions) -> WorkerOptions {
        var options = options
        options.storeRetryBudget = .seconds(max(0, storeRetryBudget))
        return options
    }
}

/// `--topic-prefix` (also `TRIALTRANSIT_TOPIC_PREFIX`).
struct TopicOptions: ParsableArguments {
    @Option(help: "Prefix in front of every topic name (e.g. 'acme.'). Default: $TRIALTRANSIT_TOPIC_PREFIX or none.")
    var topicPrefix: String?

    var topics: TransitTopics { TransitTopics(prefix: topicPrefix ?? "") }
}
