import ArgumentParser
import TransitKafka

#if canImport(Glibc)
import Glibc
#endif

/// `--brokers`, falling back to `TRIALTRANSIT_BROKERS`.
struct BrokerOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Kafka bootstrap servers, HOST:PORT[,HOST:PORT]. Default: $TRIALTRANSIT_BROKERS.", valueName: "brokers"))
    var brokers: String?

    @Flag(help: "Use settings for the local development broker (accept fetch responses of any size).")
    var localBroker = false

    /// The resolved bootstrap servers.
    func bootstrapServers() throws -> [String] {
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
    func clientConfiguration(clientID: String = "trialtransit") throws -> KafkaClientConfiguration {
        var configuration =
            localBroker ? KafkaClientConfiguration.localBroker(try bootstrapServers())
            : KafkaClientConfiguration(bootstrapServers: try bootstrapServers())
        configuration.clientID = clientID
        return configuration
    }
}

func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        String(drop { $0 == set }.reversed().drop { $0 == set }.reversed())
    }
}
