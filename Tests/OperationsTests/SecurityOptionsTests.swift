import ArgumentParser
import Foundation
import Testing
import TransitCommandLine
import TransitKafka
import TransitTestSupport

/// The broker security options and their `TRIALTRANSIT_*` variables, down to the librdkafka
/// properties they produce. SASL is tested here only: the local broker does not speak SASL.
@Suite struct SecurityOptionsTests {
    /// Files the options point at (they must be readable).
    private struct Files {
        let directory = NSTemporaryDirectory() + uniqueName("security-options")
        var ca: String { directory + "/ca.pem" }
        var cert: String { directory + "/client.pem" }
        var key: String { directory + "/client.key" }
        var password: String { directory + "/sasl-password" }

        init() throws {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for path in [ca, cert, key] { try Data("pem".utf8).write(to: URL(fileURLWithPath: path)) }
            try Data("s3cret from file\n".utf8).write(to: URL(fileURLWithPath: password))
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// A command of only the broker options, completed from `environment` as the executables do.
    private struct BrokerCommand: ParsableCommand {
        @OptionGroup var broker: BrokerOptions
    }

    private func properties(_ arguments: [String], environment: [String: String] = [:]) throws -> [String: String] {
        let layered = try LayeredArguments.resolve(root: BrokerCommand.self, arguments: arguments, environment: environment)
        let client = try BrokerCommand.parse(layered.arguments).broker.clientConfiguration(clientID: "test")
        return KafkaProducerConfiguration(client: client).librdkafkaProperties
    }

    @Test func scramOverTLSFromOptionsWithThePasswordInAFile() throws {
        let files = try Files()
        defer { files.remove() }
        let properties = try properties([
            "--brokers", "kafka-1:9093", "--tls-ca", files.ca, "--sasl-mechanism", "scram-sha-512",
            "--sasl-username", "trial-access-worker", "--sasl-password-file", files.password,
        ])
        #expect(properties["security.protocol"] == "sasl_ssl")
        #expect(properties["ssl.ca.location"] == files.ca)
        #expect(properties["ssl.endpoint.identification.algorithm"] == "https")
        #expect(properties["sasl.mechanisms"] == "SCRAM-SHA-512")
        #expect(properties["sasl.username"] == "trial-access-worker")
        #expect(properties["sasl.password"] == "s3cret from file")
        #expect(properties["ssl.certificate.location"] == nil)
    }

    @Test func everySecurityOptionHasItsVariable() throws {
        let files = try Files()
        defer { files.remove() }
        let environment = [
            "TRIALTRANSIT_BROKERS": "kafka-1:9093,kafka-2:9093", "TRIALTRANSIT_TLS_CA": files.ca,
            "TRIALTRANSIT_TLS_CERT": files.cert, "TRIALTRANSIT_TLS_KEY": files.key,
            "TRIALTRANSIT_SASL_MECHANISM": "SCRAM-SHA-256", "TRIALTRANSIT_SASL_USERNAME": "partner-gateway",
            "TRIALTRANSIT_SASL_PASSWORD": "from-variable",
        ]
        let properties = try properties([], environment: environment)
        #expect(properties["bootstrap.servers"] == "kafka-1:9093,kafka-2:9093")
        #expect(properties["security.protocol"] == "sasl_ssl")
        #expect(properties["ssl.certificate.location"] == files.cert)
        #expect(properties["ssl.key.location"] == files.key)
        #expect(properties["sasl.mechanisms"] == "SCRAM-SHA-256")
        #expect(properties["sasl.username"] == "partner-gateway")
        #expect(properties["sasl.password"] == "from-variable")

        // The password file by variable; an option wins over its variable.
        var fromFile = environment
        fromFile["TRIALTRANSIT_SASL_PASSWORD"] = nil
        fromFile["TRIALTRANSIT_SASL_PASSWORD_FILE"] = files.password
        let overridden = try self.properties(["--sasl-username", "other"], environment: fromFile)
        #expect(overridden["sasl.password"] == "s3cret from file")
        #expect(overridden["sasl.username"] == "other")
        #expect(environmentName(of: "sasl-password-file") == "TRIALTRANSIT_SASL_PASSWORD_FILE")
    }

    @Test func mutualTLSWithoutSASLAndPlaintextByDefault() throws {
        let files = try Files()
        defer { files.remove() }
        let mutual = try properties(["--brokers", "k:9093", "--tls-ca", files.ca, "--tls-cert", files.cert, "--tls-key", files.key])
        #expect(mutual["security.protocol"] == "ssl")
        #expect(mutual["ssl.certificate.location"] == files.cert && mutual["ssl.key.location"] == files.key)
        #expect(mutual["sasl.mechanisms"] == nil)
        #expect(try properties(["--brokers", "k:9092"])["security.protocol"] == "plaintext")
    }

    @Test func inconsistentSecurityOptionsAreOneLineErrors() throws {
        let files = try Files()
        defer { files.remove() }
        let cases: [(arguments: [String], expected: String)] = [
            (["--tls-cert", files.cert], "--tls-cert and --tls-key go together"),
            (["--tls-ca", files.directory + "/missing.pem"], "--tls-ca \(files.directory)/missing.pem: cannot read the file"),
            (["--sasl-mechanism", "GSSAPI", "--sasl-username", "u", "--sasl-password", "p"], "must be PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512"),
            (["--sasl-mechanism", "PLAIN", "--sasl-username", "u", "--sasl-password", "p", "--sasl-password-file", files.password],
             "not both"),
            (["--sasl-mechanism", "PLAIN", "--sasl-username", "u"], "needs --sasl-username and a password"),
            (["--sasl-username", "u"], "without --sasl-mechanism"),
        ]
        for (arguments, expected) in cases {
            do {
                _ = try properties(["--brokers", "k:9093"] + arguments)
                Issue.record("\(arguments) was accepted")
            } catch {
                #expect("\(error)".contains(expected), "\(arguments): \(error)")
            }
        }
    }
}
