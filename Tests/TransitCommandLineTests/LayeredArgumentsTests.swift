import ArgumentParser
import Foundation
import Testing
import TransitCommandLine

/// A command tree like trialtransit's: `serve` reads configuration files, `tool` does not.
private struct Root: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "root", subcommands: [Serve.self, Tool.self, Other.self])
}

private struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve")
    @OptionGroup var configFile: ConfigFileOptions
    @Option var brokers: String?
    @Option(name: .customLong("http-port")) var httpPort = 8080
    @Option var saslPassword: String?
    @Option var store: String?
    @Option var saslMechanism: String?
    @Flag var localBroker = false
    @Option var header: [String] = []
}

private struct Other: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "other")
    @OptionGroup var configFile: ConfigFileOptions
    @Option var catalog = "samples/catalog.json"
}

private struct Tool: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tool")
    @Option var brokers: String?
    @Option var group: String?
}

/// A YAML file in a fresh temporary directory.
private func configFile(_ text: String) throws -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("layered-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent("trialtransit.yaml").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// Resolves and parses `arguments` as trialtransit's main does.
private func parse(_ arguments: [String], environment: [String: String] = [:]) throws -> (LayeredArguments, Serve) {
    let layered = try LayeredArguments.resolve(root: Root.self, arguments: arguments, environment: environment)
    let command = try Root.parseAsRoot(layered.arguments)
    return (layered, try #require(command as? Serve))
}

private func source(_ layered: LayeredArguments, _ name: String) -> LayeredArguments.Source? {
    layered.settings.first { $0.name == name }?.source
}

@Suite struct LayeredArgumentsTests {
    @Test func fileValuesApplyIncludingNestedKeysListsAndFlags() throws {
        let path = try configFile(
            """
            brokers: [kafka-0:9092, kafka-1:9092]
            http-port: 9100
            local-broker: true
            header: [a, b]
            sasl:
              mechanism: SCRAM-SHA-512
            catalog: /etc/trialtransit/catalog.json   # another command's option: accepted, not used here
            """)
        let (layered, serve) = try parse(["serve", "--config", path])
        #expect(serve.brokers == "kafka-0:9092,kafka-1:9092")
        #expect(serve.httpPort == 9100)
        #expect(serve.localBroker)
        #expect(serve.header == ["a", "b"])
        #expect(serve.saslMechanism == "SCRAM-SHA-512")
        #expect(source(layered, "brokers") == .file)
        #expect(source(layered, "store") == .default)
        #expect(layered.configFile == path)
    }

    @Test func environmentOverridesFileAndNamesTheFileThroughTrialtransitConfig() throws {
        let path = try configFile("brokers: file:9092\nhttp-port: 9100\n")
        let (layered, serve) = try parse(
            ["serve"], environment: ["TRIALTRANSIT_CONFIG": path, "TRIALTRANSIT_HTTP_PORT": "9200"])
        #expect(serve.httpPort == 9200)
        #expect(serve.brokers == "file:9092")
        #expect(source(layered, "http-port") == .environment)
        #expect(source(layered, "brokers") == .file)
    }

    @Test func argumentOverridesEnvironmentAndFile() throws {
        let path = try configFile("http-port: 9100\nbrokers: file:9092\n")
        let (layered, serve) = try parse(
            ["serve", "--config", path, "--http-port=9300", "--brokers", "arg:9092"],
            environment: ["TRIALTRANSIT_HTTP_PORT": "9200", "TRIALTRANSIT_BROKERS": "env:9092"])
        #expect(serve.httpPort == 9300)
        #expect(serve.brokers == "arg:9092")
        #expect(source(layered, "http-port") == .argument)
        #expect(layered.value(of: "http-port") == "9300")
    }

    @Test func environmentAppliesToCommandsWithoutConfigFilesWhichIgnoreTheFile() throws {
        let layered = try LayeredArguments.resolve(
            root: Root.self, arguments: ["tool"],
            environment: ["TRIALTRANSIT_GROUP": "ops", "TRIALTRANSIT_CONFIG": "/no/such/file.yaml"])
        let tool = try #require(try Root.parseAsRoot(layered.arguments) as? Tool)
        #expect(tool.group == "ops")
        #expect(tool.brokers == nil)
    }

    @Test func unknownKeyIsAnErrorNamingKeyAndFile() throws {
        let path = try configFile("brokers: a:9092\nhttp-prot: 9100\n")
        let error = #expect(throws: ConfigurationError.self) { try parse(["serve", "--config", path]) }
        #expect(error?.description == "--config \(path): unknown key 'http-prot' (no command takes --http-prot)")
    }

    @Test func aBadValueFromTheFileIsRejectedByArgumentParserNamingTheOption() throws {
        let path = try configFile("http-port: eighty\n")
        let layered = try LayeredArguments.resolve(root: Root.self, arguments: ["serve", "--config", path], environment: [:])
        let error = #expect(throws: (any Error).self) { try Root.parseAsRoot(layered.arguments) }
        #expect(error.map { Root.message(for: $0) }?.contains("--http-port") == true)
    }

    @Test func flagValueMustBeABoolean() throws {
        let path = try configFile("local-broker: maybe\n")
        let error = #expect(throws: ConfigurationError.self) { try parse(["serve", "--config", path]) }
        #expect(error?.description.contains("key 'local-broker'") == true)
    }

    @Test func missingOrUnreadableFileIsOneLineNamingFileAndOption() throws {
        let missing = "/nonexistent-\(UUID().uuidString)/trialtransit.yaml"
        let byArgument = #expect(throws: ConfigurationError.self) { try parse(["serve", "--config", missing]) }
        #expect(byArgument?.description == "--config \(missing): no such file")
        let byEnvironment = #expect(throws: ConfigurationError.self) {
            try parse(["serve"], environment: ["TRIALTRANSIT_CONFIG": missing])
        }
        #expect(byEnvironment?.description == "TRIALTRANSIT_CONFIG \(missing): no such file")
        let directory = FileManager.default.temporaryDirectory.path
        let unreadable = #expect(throws: ConfigurationError.self) { try parse(["serve", "--config", directory]) }
        #expect(unreadable?.description == "--config \(directory): cannot be read")
        let notYAML = try configFile("brokers: [unclosed\n")
        let bad = #expect(throws: ConfigurationError.self) { try parse(["serve", "--config", notYAML]) }
        #expect(bad?.description.hasPrefix("--config \(notYAML): not YAML: line ") == true)
        #expect(bad?.description.contains("\n") == false)
    }

    @Test func secretsAreNotInTheLoggedSettings() throws {
        let path = try configFile("sasl-password: hunter2-from-file\nstore: postgres://app:pg-secret@db:5432/trialtransit\n")
        let (layered, serve) = try parse(["serve", "--config", path])
        #expect(serve.saslPassword == "hunter2-from-file")
        let logged = layered.redactedSettings.map { "\($0.name)=\($0.text)" }.joined(separator: " ")
        #expect(!logged.contains("hunter2"))
        #expect(!logged.contains("pg-secret"))
        #expect(logged.contains("sasl-password=*** (file)"))
        #expect(logged.contains("store=postgres://…@db:5432/trialtransit (file)"))
        let fromEnvironment = try parse(["serve"], environment: ["TRIALTRANSIT_SASL_PASSWORD": "hunter3"]).0
        #expect(!fromEnvironment.redactedSettings.map(\.text).joined().contains("hunter3"))
    }

    @Test func helpIsNotBlockedByABrokenConfiguration() throws {
        let layered = try LayeredArguments.resolve(
            root: Root.self, arguments: ["serve", "--help"], environment: ["TRIALTRANSIT_CONFIG": "/no/such.yaml"])
        #expect(layered.arguments == ["serve", "--help"])
    }
}

extension LayeredArgumentsTests {
    @Test func anErrorAboutAValueFromTheEnvironmentOrFileNamesWhereItCameFrom() throws {
        let path = try configFile("http-port: eighty\n")
        let fromFile = try LayeredArguments.resolve(root: Root.self, arguments: ["serve", "--config", path], environment: [:])
        #expect(
            fromFile.explained("The value 'eighty' is invalid for '--http-port <http-port>'")
                == "The value 'eighty' is invalid for '--http-port <http-port>' (from --config \(path), key 'http-port')")
        let fromEnvironment = try LayeredArguments.resolve(
            root: Root.self, arguments: ["serve"], environment: ["TRIALTRANSIT_STORE": "mysql:x"])
        #expect(fromEnvironment.explained("--store must be sqlite:PATH") == "--store must be sqlite:PATH (from TRIALTRANSIT_STORE)")
        #expect(fromEnvironment.explained("--store-x is wrong") == nil)
        #expect(fromEnvironment.explained("--brokers missing") == nil, "typed or unset options have no origin")
    }
}
