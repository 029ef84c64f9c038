import Testing

/// `trialtransit-bench pipeline` end to end on a small load: every run is printed and the last line
/// carries the medians and a ratio computed from them. (Figures are not judged here; see the README.)
@Suite("bench pipeline command", .timeLimit(.minutes(3)))
struct PipelineBenchmarkCommandTests {
    @Test func printsEveryRunAndTheMediansWithTheirRatioLast() async throws {
        let run = try await BenchCommandRun([
            "pipeline", "--brokers", try RuntimeTestSupport.brokers, "--local-broker", "--store", "sqlite",
            "--messages", "3000", "--batch-size", "500", "--runs", "2", "--latency-messages", "200", "--rate", "1000",
        ])
        #expect(run.status == 0, "output:\n\(run.text)")

        let lines = run.lines
        #expect(lines.filter { $0.hasPrefix("run 1: worker:") || $0.hasPrefix("run 2: worker:") }.count == 2)
        #expect(lines.filter { $0.hasPrefix("run 1: raw:") || $0.hasPrefix("run 2: raw:") }.count == 2)
        let keys = ["events_per_s", "p50_ms", "p99_ms", "raw_consume", "raw_produce", "raw_store", "ratio"]
        #expect(run.lastKeys == keys, "last line: \(lines.last ?? "")")
        let figures = run.figures
        let events = try #require(figures["events_per_s"])
        let limit = try #require([figures["raw_consume"], figures["raw_produce"], figures["raw_store"]].compactMap { $0 }.min())
        #expect(events > 0 && limit > 0)
        #expect(abs(try #require(figures["ratio"]) - events / limit) <= 0.006, "ratio is events_per_s / min(raw_*)")
        #expect(try #require(figures["p99_ms"]) >= figures["p50_ms"] ?? .infinity)
    }
}
