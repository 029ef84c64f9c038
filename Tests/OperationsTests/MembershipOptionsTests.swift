import TransitTestSupport
import Testing

extension OperationsTests {
    /// `--instance-id`, `--session-timeout` and `--max-poll-interval` on every command that runs a
    /// worker: shown in the help, and a bad value is a one-line error before anything connects.
    @Test func membershipOptionsAreOnEveryWorkerCommand() async throws {
        let commands: [(command: [String], required: [String])] = [
            (["run"], []), (["worker", "trial-access"], []), (["worker", "transport"], []),
            (["worker", "example"], ["--input-topic", "in", "--output-topic", "out"]),
        ]
        for (command, required) in commands {
            let help = try await Ops.cli(command + ["--help"])
            for option in ["--instance-id", "--session-timeout", "--max-poll-interval"] {
                #expect(help.stdout.contains(option), "\(command) lacks \(option): \(help)")
            }
            let run = try await Ops.cli(
                command + required + ["--max-poll-interval", "0", "--brokers", "127.0.0.1:1"])
            #expect(run.status != 0, "\(command): \(run)")
            #expect(run.stderr.contains("--max-poll-interval must be positive"), "\(command): \(run)")
        }
    }
}
