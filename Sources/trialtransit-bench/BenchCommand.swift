import ArgumentParser
import Foundation
import TransitCommandLine

/// `trialtransit-bench …`: our figure beside its raw baseline, measured in the same run. A separate
/// executable, so that the production binary carries no benchmark and no C baseline.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trialtransit-bench",
        abstract: "Benchmarks against the raw librdkafka path, measured in the same run.",
        discussion: """
            Each benchmark prints progress, then as its last line its figures as name=value pairs ending \
            with ratio=<x>. Benchmarks never start a broker: run `scripts/broker start` first.

            Examples:
              trialtransit-bench consume --brokers 127.0.0.1:9092 --messages 1000000
              TRIALTRANSIT_BROKERS=127.0.0.1:9092 trialtransit-bench produce
            """,
        subcommands: [ConsumeBenchmark.self, ProduceBenchmark.self, RPCBenchmark.self, PipelineBenchmark.self, CodecBenchmark.self, TrialAccessBenchmark.self, TransportBenchmark.self]
    )

    /// Completes the command line from the environment as `trialtransit` does (every `--foo-bar`
    /// from `TRIALTRANSIT_FOO_BAR`), then parses and runs.
    static func main() async {
        await runParsed(await parseLayered(layeredArguments(environment: ProcessInfo.processInfo.environment)))
    }
}

/// Options every throughput benchmark shares.
struct ThroughputOptions: ParsableArguments {
    @OptionGroup var broker: BrokerOptions

    @Option(help: "Messages per measured run.")
    var messages = 1_000_000

    @Option(help: "Payload size in bytes.")
    var size = 300

    @Option(help: "Measured runs of each side; the median is reported.")
    var runs = 3

    func validate() throws {
        guard messages > 0 else { throw ValidationError("--messages must be positive") }
        guard size > 0 else { throw ValidationError("--size must be positive") }
        guard runs > 0 else { throw ValidationError("--runs must be positive") }
    }
}

/// Formatting for benchmark lines.
enum BenchFormat {
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }

    static func rate(_ value: Double) -> String { String(Int(value.rounded())) }

    static func ratio(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(String(hundredths % 100).leftPadded(to: 2))"
    }
}
