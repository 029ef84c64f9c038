import ArgumentParser
import TransitKafka

#if canImport(Glibc)
import Glibc
#endif

/// `--brokers` and the security options towards the brokers. Like every option, `--foo-bar` may
/// come from the environment variable `TRIALTRANSIT_FOO_BAR` (``environmentName(of:)``): the
/// executables complete their command line with ``LayeredArguments`` before parsing it.
public struct BrokerOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Kafka bootstrap servers, HOST:PORT[,HOST:PORT]. Default: $TRIALTRANSIT_BROKERS.", valueName: "brokers"))
    public var brokers: String?

    @Flag(help: "Use settings for the local development broker (accept fetch responses of any size).")
    public var localBroker = false

    @Option(help: "PEM file of the CAs that sign the brokers' certificates (turns TLS on). Default: $TRIALTRANSIT_TLS_CA.")
    public var tlsCA: String?

    @Option(help: "PEM client certificate for mutual TLS (turns TLS on; needs --tls-key). Default: $TRIALTRANSIT_TLS_CERT.")
    public var tlsCert: String?

    @Option(help: "PEM private key of --tls-cert. Default: $TRIALTRANSIT_TLS_KEY.")
    public var tlsKey: String?

    @Option(help: "SASL mechanism: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (turns SASL on). Default: $TRIALTRANSIT_SASL_MECHANISM.")
    public var saslMechanism: String?

    @Option(help: "SASL user name. Default: $TRIALTRANSIT_SASL_USERNAME.")
    public var saslUsername: String?

    @Option(help: "SASL password. Default: $TRIALTRANSIT_SASL_PASSWORD (prefer it or --sasl-password-file: arguments show in ps).")
    public var saslPassword: String?

    @Option(help: "File holding the SASL password (one line; e.g. a mounted secret). Default: $TRIALTRANSIT_SASL_PASSWORD_FILE.")
    public var saslPasswordFile: String?

    public init() {}

    /// The resolved bootstrap servers.
    public func bootstrapServers() throws -> [String] {
        guard let value = brokers, !value.isEmpty else {
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
        let servers = try bootstrapServers()
        var configuration =
            localBroker ? KafkaClientConfiguration.localBroker(servers) : KafkaClientConfiguration(bootstrapServers: servers)
        configuration.clientID = clientID
        configuration.security = try Self.security(
            tlsCA: tlsCA, tlsCert: tlsCert, tlsKey: tlsKey, saslMechanism: saslMechanism, saslUsername: saslUsername,
            saslPassword: saslPassword, saslPasswordFile: saslPasswordFile)
        return configuration
    }

    private static func security(
        tlsCA: String?, tlsCert: String?, tlsKey: String?, saslMechanism: String?, saslUsername: String?,
        saslPassword: String?, saslPasswordFile: String?
    ) throws -> KafkaSecurity {
        var security = KafkaSecurity.plaintext
        if (tlsCert == nil) != (tlsKey == nil) {
            throw ValidationError("--tls-cert and --tls-key go together (mutual TLS needs both)")
        }
        for (option, path) in [("tls-ca", tlsCA), ("tls-cert", tlsCert), ("tls-key", tlsKey)] {
            if let path, access(path, R_OK) != 0 {
                throw ValidationError("--\(option) \(path): cannot read the file")
            }
        }
        if tlsCA != nil || tlsCert != nil {
            security.tls = KafkaSecurity.TLS(caLocation: tlsCA, certificateLocation: tlsCert, keyLocation: tlsKey)
        }
        guard let saslMechanism else {
            if saslUsername != nil || saslPassword != nil || saslPasswordFile != nil {
                throw ValidationError("SASL credentials given without --sasl-mechanism")
            }
            return security
        }
        let mechanism = KafkaSecurity.SASL.Mechanism(saslMechanism.uppercased())
        guard [.plain, .scramSHA256, .scramSHA512].contains(mechanism) else {
            throw ValidationError("--sasl-mechanism must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, not '\(saslMechanism)'")
        }
        if saslPassword != nil && saslPasswordFile != nil {
            throw ValidationError("give the SASL password once: --sasl-password or --sasl-password-file, not both")
        }
        let password = try saslPassword ?? saslPasswordFile.map(readSecret)
        guard let username = saslUsername, let password else {
            throw ValidationError("--sasl-mechanism needs --sasl-username and a password (--sasl-password-file or $TRIALTRANSIT_SASL_PASSWORD)")
        }
        security.sasl = KafkaSecurity.SASL(mechanism: mechanism, username: username, password: password)
        return security
    }

    /// The first line of file `path`, without its line end: a secret mounted as a file.
    private static func readSecret(_ path: String) throws -> String {
        guard let file = fopen(path, "r") else { throw ValidationError("--sasl-password-file \(path): cannot read the file") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        while true {
            let byte = fgetc(file)
            if byte == EOF || byte == 0x0A { break }
            bytes.append(UInt8(byte))
        }
        if bytes.last == 0x0D { bytes.removeLast() }
        guard !bytes.isEmpty else { throw ValidationError("--sasl-password-file \(path): the file is empty") }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The environment variable that stands in for long option `option` (without dashes):
/// `tls-ca` → `TRIALTRANSIT_TLS_CA`.
public func environmentName(of option: String) -> String {
    "TRIALTRANSIT_" + String(option.uppercased().map { $0 == "-" ? "_" : $0 })
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
