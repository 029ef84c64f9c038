import ArgumentParser

/// The `trialtransit` command: workers and operations tools (benchmarks are `trialtransit-bench`).
@main
struct TrialTransitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trialtransit",
        abstract: "Event-driven trial access and transport booking over Kafka.",
        discussion: """
            Every command that talks to Kafka takes --brokers HOST:PORT[,HOST:PORT] and otherwise reads \
            TRIALTRANSIT_BROKERS.
            """,
        subcommands: [
            RunCommand.self, DemoCommand.self, SoakCommand.self, WorkerCommand.self, ConformanceCommand.self, PartnerSimCommand.self,
            TopicsCommand.self, PublishCommand.self, ConsumeCommand.self, ReplayCommand.self, DLQCommand.self,
            LagCommand.self, GroupsCommand.self, HealthCommand.self,
        ]
    )
}
