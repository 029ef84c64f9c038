import Foundation
import Testing
import TransitTestSupport

/// `trialtransit-bench pipeline` end to end on a small load: every run is printed and the last line
/// carries the medians and a ratio computed from them. (Figures are not judged here; see the README.)
@Suite("bench pipeline command", .timeLimit(.minutes(3)))
struct PipelineBenchmarkCommandTests {
    @Test func printsEveryRunAndTheMediansWithTheirRatioLast() async throws {
        // Output to a file and polling for the exit: a blocking wait would hold a thread of the
        // cooperative pool (two here) for the whole benchmark and slow every other test.
        let path = NSTemporaryDirectory() + RuntimeTestSupport.unique("bench-pipeline") + ".out"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let output = try #require(FileHandle(forWritingAtPath: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try BuiltExecutable.path("trialtransit-bench"))
        process.arguments = [
            "pipeline", "--brokers", try RuntimeTestSupport.brokers, "--local-broker", "--store", "sqlite",
            "--messages", "3000", "--batch-size", "500", "--runs", "2", "--latency-messages", "200", "--rate", "1000",
        ]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        try output.close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(process.terminationStatus == 0, "output:\n\(text)")

        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("run 1: worker:") || $0.hasPrefix("run 2: worker:") }.count == 2)
        #expect(lines.filter { $0.hasPrefix("run 1: raw:") || $0.hasPrefix("run 2: raw:") }.count == 2)
        let last = try #require(lines.last)
        var figures: [String: Double] = [:]
        for pair in last.split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let value = Double(parts[1]) { figures[String(parts[0])] = value }
        }
        let keys = ["events_per_s", "p50_ms", "p99_ms", "raw_consume", "raw_produce", "raw_store", "ratio"]
        #expect(last.split(separator: " ").map { String($0.split(separator: "=")[0]) } == keys, "last line: \(last)")
        let events = try #require(figures["events_per_s"])
        let limit = try #require([figures["raw_consume"], figures["raw_produce"], figures["raw_store"]].compactMap { $0 }.min())
        #expect(events > 0 && limit > 0)
        #expect(abs(try #require(figures["ratio"]) - events / limit) <= 0.006, "ratio is events_per_s / min(raw_*)")
        #expect(try #require(figures["p99_ms"]) >= figures["p50_ms"] ?? .infinity)
    }
}
