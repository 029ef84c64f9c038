import ArgumentParser
import TransitKafka

#if canImport(Glibc)
import Glibc
#endif

/// `--brokers`, falling back to `TRIALTRANSIT_BROKERS`.
public struct BrokerOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Kafka bootstrap servers, HOST:PORT[,HOST:PORT]. Default: $TRIALTRANSIT_BROKERS.", valueName: "brokers"))
    public var brokers: String?

    @Flag(help: "Use settings for the local development broker (accept fetch responses of any size).")
    public var localBroker = false

    @Option(help: "PEM file of the CAs for TLS to the brokers (turns TLS on).")
    public var tlsCA: String?

    @Option(help: "SASL mechanism: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (turns SASL on).")
    public var saslMechanism: String?

    @Option(help: "SASL user name.")
    public var saslUsername: String?

    @Option(help: "SASL password. Default: $TRIALTRANSIT_SASL_PASSWORD (prefer the variable: arguments show in ps).")
    public var saslPassword: String?

    public init() {}

    /// The resolved bootstrap servers.
    public func bootstrapServers() throws -> [String] {
        guard let value = brokers ?? environment("TRIALTRANSIT_BROKERS"), !value.isEmpty else {
            throw ValidationError("no brokers: pass --brokers HOST:PORT or set TRIALTRANSIT_BROKERS")
        }
        let servers = value.split(separator: ",").map { $0.trimmingCharacters(in: " ") }
        for server in servers where !server.contains(":") {
            throw ValidationError("broker address '\(server)' is not HOST:PORT")
        }
        return servers
    }

    /// Client settings for these brokers.
    public func clientConfiguration(clientID: String = "trialtransit") throws -> KafkaClientConfiguration {
        var configuration =
            localBroker ? KafkaClientConfiguration.localBroker(try bootstrapServers())
            : KafkaClientConfiguration(bootstrapServers: try bootstrapServers())
        configuration.clientID = clientID
        if let tlsCA { configuration.security.tls = KafkaSecurity.TLS(caLocation: tlsCA) }
        if let saslMechanism {
            guard let username = saslUsername, let password = saslPassword ?? environment("TRIALTRANSIT_SASL_PASSWORD") else {
                throw ValidationError("--sasl-mechanism needs --sasl-username and a password")
            }
            configuration.security.sasl = KafkaSecurity.SASL(
                mechanism: KafkaSecurity.SASL.Mechanism(saslMechanism), username: username, password: password)
        }
        return configuration
    }
}

/// The value of the environment variable `name`, if set.
public func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}

extension Substring {
    /// The text without leading and trailing `set` characters.
    public func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
