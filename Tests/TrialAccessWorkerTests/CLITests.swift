import Foundation
import Testing
import TransitKafka
import TransitRPC
import TransitWire
import TransitTestSupport

/// `trialtransit worker trial-access` as a process (the built CLI).
@Suite("trial-access worker: CLI", .serialized, .timeLimit(.minutes(5)))
struct CLITests {
    @Test(
        "the command prints its start-up line, serves Health SERVING once subscribed, handles a referral and stops on SIGTERM"
    )
    func workerCommand() async throws {
        let topics = try await TestBroker.makeTopics("cli")
        let catalogPath = try TestCatalog.write(capacityA: 2)
        defer { try? FileManager.default.removeItem(atPath: catalogPath) }
        let database = try await TestDatabase.make(.sqlite)
        defer { database.destroy() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltExecutable.path())
        process.arguments = [
            "worker", "trial-access", "--brokers", try TestBroker.brokers, "--local-broker", "--store",
            "sqlite:" + database.location, "--topic-prefix", topics.prefix, "--catalog", catalogPath,
            "--reservation-ttl-minutes", "30", "--group", TestBroker.unique("taw-cli"),
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["TRIALTRANSIT_LOG_LEVEL"] = "error"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        try await withRPCClient(topics) { rpc in
            // The Health server reads only requests sent after it started: ask until it answers SERVING.
            try await waitUntilHealthAnswers(rpc.client, service: TrialAccessService.name, status: .serving)

            let patient = TestBroker.unique("pt-cli")
            try await TestBroker.publish([Fixture.referral(patient)], topics: topics)
            let events = try await TestBroker.events(topics) { $0.latestState(of: patient) != nil }
            #expect(events.latestState(of: patient) == .eligible)
            let slot = try #require(events.slotsReserved(for: patient).first)
            // --reservation-ttl-minutes 30
            #expect(slot.expiresAt - (events.first?.occurredAt ?? 0) == 30 * 60_000)
        }

        process.terminate()  // SIGTERM: graceful shutdown
        try await waitUntil("the worker process to exit after SIGTERM") { !process.isRunning }
        #expect(process.terminationStatus == 0)
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.contains("trial-access worker: brokers \(try TestBroker.brokers)"), "\(printed)")
        #expect(printed.contains("(1 trials)"), "\(printed)")
    }
}
