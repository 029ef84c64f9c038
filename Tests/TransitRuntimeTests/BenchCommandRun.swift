import Foundation
import Testing
import TransitKafka
import TransitTestSupport

/// One run of a `trialtransit-bench` subcommand: its exit status, its output, the `key=value`
/// figures of its last line and the topics it left behind.
struct BenchCommandRun {
    var status: Int32
    var text: String
    /// Topics named with one of `topicPrefixes` that exist after the run and did not before (the
    /// local broker's snapshots cost CPU in proportion to what it holds, so a leftover run would
    /// slow the next).
    var topicsLeft: Set<String> = []

    /// Runs `arguments` to its end. Output goes to a file and the exit is polled: a blocking wait
    /// would hold a thread of the cooperative pool (two here) for the whole benchmark and slow
    /// every other test.
    init(_ arguments: [String], topicPrefixes: [String] = []) async throws {
        let before = try await Self.topics(startingWith: topicPrefixes)
        let path = NSTemporaryDirectory() + RuntimeTestSupport.unique("bench-command") + ".out"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltExecutable.path("trialtransit-bench"))
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        try output.close()
        status = process.terminationStatus
        text = try String(contentsOfFile: path, encoding: .utf8)
        topicsLeft = try await Self.topics(startingWith: topicPrefixes).subtracting(before)
    }

    /// Expects the run to have exited 0 and to have left none of its topics behind.
    func expectSucceededAndCleanedUp(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(status == 0, "output:\n\(text)", sourceLocation: sourceLocation)
        #expect(topicsLeft.isEmpty, "topics left behind: \(topicsLeft.sorted())", sourceLocation: sourceLocation)
    }

    var lines: [String] { text.split(separator: "\n").map(String.init) }

    /// The keys of the last line, in order.
    var lastKeys: [String] { (lines.last ?? "").split(separator: " ").map { String($0.split(separator: "=")[0]) } }

    /// The numeric figures of the last line by key.
    var figures: [String: Double] {
        var figures: [String: Double] = [:]
        for pair in (lines.last ?? "").split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let value = Double(parts[1]) { figures[String(parts[0])] = value }
        }
        return figures
    }

    private static func topics(startingWith prefixes: [String]) async throws -> Set<String> {
        guard !prefixes.isEmpty else { return [] }
        let admin = try KafkaAdmin(configuration: RuntimeTestSupport.client, logger: RuntimeTestSupport.logger)
        let names = try await admin.listTopics().map(\.name)
        return Set(names.filter { name in prefixes.contains { name.hasPrefix($0) } })
    }
}
