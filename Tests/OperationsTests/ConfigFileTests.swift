import Foundation
import Testing
import TransitTestSupport
import TransitWire

extension OperationsTests {
    /// deploy/trialtransit.yaml drives a real transport worker: its keys all exist, the environment
    /// overrides it, arguments override the environment, and the effective configuration is logged
    /// once at start as a JSON line with each value's source and no secret.
    @Test func sampleConfigFileRunsAWorkerAndTheEffectiveConfigurationIsLoggedWithoutSecrets() async throws {
        let root = TestEnvironment.repositoryRoot
        let port = try freeTCPPort()
        let store = Ops.sqlitePath()
        defer { Ops.removeSQLite(store) }
        let worker = try HTTPWorkerProcess.start(
            ["worker", "transport", "--config", root + "/deploy/trialtransit.yaml", "--http-port", String(port),
             "--log-level", "info"],
            environment: [
                "TRIALTRANSIT_BROKERS": try Ops.brokers, "TRIALTRANSIT_LOCAL_BROKER": "true",
                "TRIALTRANSIT_STORE": "sqlite:" + store, "TRIALTRANSIT_TOPIC_PREFIX": Ops.unique("cfg") + ".",
                "TRIALTRANSIT_PARTNERS": root + "/samples/partners.json", "TRIALTRANSIT_HTTP_PORT": "1",
            ])
        defer { worker.stop() }
        try await worker.waitUntilReady(port: port)

        // (Masking secrets in this line: TransitCommandLineTests. A SASL password alone is refused
        // here since --sasl-mechanism became required with it, and the test broker speaks no SASL.)
        let output = worker.output
        let records = output.split(separator: "\n").compactMap { JSONValue.parse(String($0)) }
        let logged = try #require(
            records.first { $0["message"]?.comparableText == "effective configuration of worker transport" },
            "no effective configuration line:\n\(output)")
        let settings = try #require(logged["metadata"])
        #expect(logged["level"]?.comparableText == "info")
        #expect(settings["brokers"]?.comparableText == (try Ops.brokers) + " (environment)")
        #expect(settings["http-port"]?.comparableText == "\(port) (argument)")
        #expect(settings["log-format"]?.comparableText == "json (file)")
        #expect(settings["inbox-retention-days"]?.comparableText == "30 (file)")
        #expect(settings["config"]?.comparableText == root + "/deploy/trialtransit.yaml (argument)")
        #expect(settings["catalog"] == nil, "the transport worker takes no --catalog")
    }

    /// A missing configuration file, or a key no worker takes, is one `Error:` line naming the file.
    @Test func badConfigurationFileIsOneErrorLine() async throws {
        let missing = NSTemporaryDirectory() + Ops.unique("missing") + ".yaml"
        let byOption = try await Ops.cli(["run", "--config", missing])
        #expect(byOption.status != 0)
        #expect(byOption.stderr == "Error: --config \(missing): no such file\n", "\(byOption)")
        let byVariable = try await Ops.cli(["worker", "transport"], environment: ["TRIALTRANSIT_CONFIG": missing])
        #expect(byVariable.stderr == "Error: TRIALTRANSIT_CONFIG \(missing): no such file\n", "\(byVariable)")

        let typo = NSTemporaryDirectory() + Ops.unique("typo") + ".yaml"
        try "brokers: kafka:9092\ninbox-retention-dayz: 30\n".write(toFile: typo, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: typo) }
        let unknown = try await Ops.cli(["worker", "trial-access", "--config", typo])
        #expect(
            unknown.stderr == "Error: --config \(typo): unknown key 'inbox-retention-dayz' (no command takes --inbox-retention-dayz)\n",
            "\(unknown)")
    }

    /// A catalogue or partner file that is not there is one `Error:` line naming the option, the
    /// file, the working directory a relative path was looked up in, and the variable that set it.
    @Test func missingCatalogueOrPartnerFileIsOneErrorLineNamingTheOption() async throws {
        let cwd = FileManager.default.currentDirectoryPath
        let catalog = try await Ops.cli(["worker", "trial-access", "--catalog", "no-such/catalog.json"])
        #expect(catalog.stderr == "Error: --catalog no-such/catalog.json: no such file in \(cwd)\n", "\(catalog)")
        let partners = try await Ops.cli(
            ["run"], environment: ["TRIALTRANSIT_PARTNERS": "/no-such/partners.json"])
        #expect(
            partners.stderr == "Error: --partners /no-such/partners.json: no such file (from TRIALTRANSIT_PARTNERS)\n",
            "\(partners)")
    }
}

extension OperationsTests {
    /// The partner gateway reads the workers' configuration file (deploy/k8s/partner-gateway.yaml
    /// names it): the file's store and log format apply, the environment and arguments override it.
    @Test func partnerGatewayReadsTheWorkersConfigurationFile() async throws {
        let root = TestEnvironment.repositoryRoot
        let result = try await Ops.cli(
            ["partner-gateway", "--config", root + "/deploy/trialtransit.yaml", "--partners", root + "/samples/partners.json"])
        let records = (result.stdout + result.stderr).split(separator: "\n").compactMap { JSONValue.parse(String($0)) }
        let logged = try #require(
            records.first { $0["message"]?.comparableText == "effective configuration of partner-gateway" },
            "no effective configuration line (as JSON, the file's log format): \(result)")
        let settings = try #require(logged["metadata"])
        #expect(settings["store"]?.comparableText == "sqlite:/var/lib/trialtransit/trialtransit.sqlite (file)")
        #expect(settings["brokers"]?.comparableText == (try Ops.brokers) + " (environment)")
        #expect(settings["partners"]?.comparableText == root + "/samples/partners.json (argument)")
        // The sample partner file has no webhook partner: the gateway says so and stops.
        #expect(result.status != 0)
        #expect(result.stderr.contains("Error: \(root)/samples/partners.json has no partner with a \"webhook\" section"), "\(result)")
    }
}
