import ArgumentParser
import Foundation
import Logging
import TransitCommandLine

/// The `trialtransit` command: workers and operations tools (benchmarks are `trialtransit-bench`).
@main
struct TrialTransitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trialtransit",
        abstract: "Event-driven trial access and transport booking over Kafka.",
        discussion: """
            Every long option --foo-bar can also be set with the environment variable TRIALTRANSIT_FOO_BAR, \
            and for run, worker and partner-gateway commands with the key foo-bar of a YAML file given by --config FILE or \
            TRIALTRANSIT_CONFIG; arguments override the environment, which overrides the file.
            """,
        subcommands: [
            RunCommand.self, DemoCommand.self, SoakCommand.self, WorkerCommand.self, ConformanceCommand.self, PartnerSimCommand.self, PartnerGatewayCommand.self,
            TopicsCommand.self, PublishCommand.self, ConsumeCommand.self, ReplayCommand.self, DLQCommand.self,
            LagCommand.self, GroupsCommand.self, HealthCommand.self, AttentionCommand.self,
        ]
    )

    /// Completes the command line from the environment and the configuration file
    /// (``LayeredArguments``), sets up logging, logs the effective configuration of commands that
    /// take `--config`, then parses and runs as ArgumentParser's own `main` does.
    static func main() async {
        let environment = ProcessInfo.processInfo.environment
        let layered = layeredArguments(environment: environment)
        CLILogging.bootstrap(
            level: layered.value(of: "log-level") ?? environment["TRIALTRANSIT_LOG_LEVEL"],
            format: layered.value(of: "log-format") ?? environment["TRIALTRANSIT_LOG_FORMAT"])
        let command = await parseLayered(layered)
        if layered.settings.contains(where: { $0.name == "config" }) {
            let name = layered.arguments.prefix { !$0.hasPrefix("-") }.joined(separator: " ")
            var metadata: Logger.Metadata = [:]
            for (option, text) in layered.redactedSettings { metadata[option] = "\(text)" }
            CLILogging.logger(label: "trialtransit.config").info("effective configuration of \(name)", metadata: metadata)
        }
        await runParsed(command)
    }
}
