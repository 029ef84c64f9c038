import Foundation
import Testing
import TransitDemo
import TransitTestSupport

/// The plumbing of the soak's `partition` fault on its own: a process in a ``NetworkPartition``
/// reaches the real test broker at its advertised 127.0.0.1 address, loses it while the link is
/// cut (the PostgreSQL port, kept, stays reachable), and reaches it again once reconnected. Needs
/// root, iproute2 and socat (scripts/bootstrap); without them the test fails saying so.
@Suite("Network partition", .serialized, .timeLimit(.minutes(3)))
struct NetworkPartitionTests {
    @Test func aProcessInTheNamespaceLosesTheBrokerWhileCutAndRegainsIt() async throws {
        let brokers = try TestEnvironment.brokers
        let brokerPort = try #require(Int(brokers.split(separator: ":").last ?? ""), "broker \(brokers)")
        let postgresPort = try #require(URLComponents(string: try TestEnvironment.postgresURL)?.port)
        let name = "ttpt" + String(Int.random(in: 100_000..<1_000_000))
        let directory = NSTemporaryDirectory() + uniqueName("partition-test")
        let partition = try await NetworkPartition.start(
            name: name, directory: directory, cuttablePorts: [brokerPort], keptPorts: [postgresPort])
        do {
            try await check(partition, brokers: brokers, postgresPort: postgresPort)
        } catch {
            await partition.stop()
            throw error
        }
        await partition.stop()
        // The namespace and the root end of its veth pair are gone.
        let namespaces = try await onOwnThread { try runCommand("/usr/sbin/ip", ["netns", "list"]) }
        #expect(!namespaces.contains(name), "\(namespaces)")
        let links = try await onOwnThread { try runCommand("/usr/sbin/ip", ["-o", "link", "show"]) }
        #expect(!links.contains(partition.rootInterface), "\(links)")
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func check(_ partition: NetworkPartition, brokers: String, postgresPort: Int) async throws {
        let lookup = try topicsList(partition, brokers: brokers)
        var last = ""
        // Each lookup gives up after 3 s; on a busy machine the first can, before any cut.
        try await waitUntil("the broker answers in the namespace before the cut", timeout: .seconds(60), saw: { last }) {
            let before = try await run(lookup)
            last = before.output
            return before.status == 0
        }

        try await partition.cut()
        #expect(try await partition.isCut())
        let during = try await run(lookup)
        #expect(during.status != 0, "the broker answered through a cut link: \(during.output)")
        let store = partition.command("/bin/bash", ["-c", "exec 3<>/dev/tcp/127.0.0.1/\(postgresPort)"])
        #expect(try await run(store).status == 0, "the kept PostgreSQL port is unreachable while the broker's is cut")

        try await partition.reconnect()
        #expect(try await !partition.isCut())
        try await waitUntil("the broker answers in the namespace after the link is restored", timeout: .seconds(60), saw: { last }) {
            let after = try await run(lookup)
            last = after.output
            return after.status == 0
        }
    }

    /// `trialtransit topics list` in the namespace against `brokers`: a fresh connection each time,
    /// failing within its 3-second time-out when the broker does not answer.
    private func topicsList(_ partition: NetworkPartition, brokers: String) throws -> (executable: String, arguments: [String]) {
        partition.command(
            try BuiltExecutable.path(),
            ["topics", "list", "--brokers", brokers, "--local-broker", "--topic-prefix", uniqueName("partition") + ".", "--timeout", "3"])
    }

    /// Runs `command` to its end (at most 60 s) and returns its status and output.
    private func run(_ command: (executable: String, arguments: [String])) async throws -> (status: Int32, output: String) {
        let output = NSTemporaryDirectory() + uniqueName("partition-run") + ".out"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command.executable)
        process.arguments = command.arguments
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: output))
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while process.isRunning && clock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        return (process.terminationStatus, (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }
}
