import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TransitCommandLine
import TransitDemo
import TransitHTTP
import TransitKafka
import TransportBooking
import TransportWorker

/// `trialtransit partner-sim --partner ID`: a reference transport partner for demos and tests.
struct PartnerSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partner-sim",
        abstract: "Act as a transport partner: answer ride offers and report rides to completion.",
        discussion: """
            Reads transport.partner.<ID>.requests.v1 in its own consumer group and answers on \
            transport.partner.<ID>.updates.v1: ACCEPTED (or REJECTED / NO_DRIVERS_AVAILABLE), then DRIVER_ASSIGNED, \
            ARRIVING, PICKED_UP and COMPLETED. A RideCancellation stops the ride. Prints one line per action \
            (booking id, leg, status; no personal data). SIGTERM or SIGINT stops it gracefully.

            Examples:
              trialtransit partner-sim --partner metro-taxi --brokers 127.0.0.1:9092
              trialtransit partner-sim --partner careways-medical --reject-first 1 --duplicate-rate 0.3 --reorder-rate 0.3 --seed 7
              trialtransit partner-sim --partner metro-taxi --silent     # let offers time out
            """
    )

    @OptionGroup var broker: BrokerOptions
    @OptionGroup var topics: TopicOptions
    @OptionGroup var http: HTTPOptions

    @Option(help: "Partner id (as in the partner file); names the topics.")
    var partner: String

    @Option(help: "Share of offers accepted, 0 to 1.")
    var acceptRate = 1.0

    @Option(help: "Reject this many offers first.")
    var rejectFirst = 0

    @Flag(help: "Answer every offer NO_DRIVERS_AVAILABLE.")
    var noDrivers = false

    @Option(help: "Milliseconds before answering an offer.")
    var answerDelayMs = 0

    @Option(help: "Milliseconds between two progress updates.")
    var stepDelayMs = 200

    @Option(help: "Share of updates sent twice (same sequence, new event id), 0 to 1.")
    var duplicateRate = 0.0

    @Option(help: "Share of progress updates sent after the next one, 0 to 1.")
    var reorderRate = 0.0

    @Option(help: "Seed of the random choices (default: random).")
    var seed: UInt64?

    @Flag(help: "Never answer (lets offers time out).")
    var silent = false

    @Option(help: "Consumer group. Default: trialtransit.partner-sim.<partner>.")
    var group: String?

    func validate() throws {
        guard PartnerDirectory.isValidID(partner) else {
            throw ValidationError("--partner must match [a-z0-9-]+ (at most 64 characters)")
        }
        for (name, rate) in [("--accept-rate", acceptRate), ("--duplicate-rate", duplicateRate), ("--reorder-rate", reorderRate)] {
            guard (0...1).contains(rate) else { throw ValidationError("\(name) must be between 0 and 1") }
        }
        guard rejectFirst >= 0, answerDelayMs >= 0, stepDelayMs >= 0 else {
            throw ValidationError("--reject-first, --answer-delay-ms and --step-delay-ms must not be negative")
        }
    }

    func run() async throws {
        let logger = CLILogging.logger(label: "trialtransit.partner-sim")
        try http.bootstrapMetrics(default: 0)
        let client = try broker.clientConfiguration(clientID: "trialtransit-partner-sim-\(partner)")
        let simulator = PartnerSimulator(
            options: PartnerSimulatorOptions(
                partnerID: partner, acceptRate: acceptRate, rejectFirst: rejectFirst, noDrivers: noDrivers,
                answerDelay: .milliseconds(answerDelayMs), stepDelay: .milliseconds(stepDelayMs),
                duplicateRate: duplicateRate, reorderRate: reorderRate, seed: seed, silent: silent, groupID: group),
            client: client, topics: topics.topics, logger: logger, output: Self.printLine)
        Self.printLine(
            "partner-sim \(partner): brokers \(client.bootstrapServers.joined(separator: ",")), "
                + "group \(simulator.options.effectiveGroupID), topic prefix '\(topics.topics.prefix)', \(http.banner(default: 0))")
        // The simulator has no store or outbox: live and ready while it runs.
        let web = try http.services(probes: ProcessProbes(), default: 0, logger: logger)
        try await ServiceRunner.run(web + [PartnerSimService(simulator: simulator)], logger: logger)
    }

    /// Writes one line to standard output at once (unbuffered, also through a pipe).
    @Sendable static func printLine(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

/// Runs a ``PartnerSimulator`` as a service: graceful shutdown lets it commit and close.
struct PartnerSimService: Service {
    let simulator: PartnerSimulator

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await simulator.run()
        } onGracefulShutdown: {
            simulator.stop()
        }
    }
}
