import Testing
import TransitKafka

/// `trialtransit-bench trial-access --referral-writes` end to end on a small load: both sides and
/// the baseline with a referral's writes are printed, the last line carries the rates and their
/// ratios, and the run leaves none of its topics on the broker (the local broker's snapshots cost
/// CPU in proportion to what it holds, so a leftover run would slow the next). Figures are not
/// judged here; see docs/PERFORMANCE.md.
@Suite("bench trial-access command", .timeLimit(.minutes(3)))
struct TrialAccessBenchmarkCommandTests {
    @Test func printsBothSidesAndTheirRatioLastAndLeavesNoTopicBehind() async throws {
        let admin = try KafkaAdmin(configuration: RuntimeTestSupport.client, logger: RuntimeTestSupport.logger)
        let benchTopics = { (topics: [KafkaTopicMetadata]) in
            Set(topics.map(\.name).filter { $0.hasPrefix("bench-ta-") || $0.hasPrefix("bench-baseline-") })
        }
        let before = benchTopics(try await admin.listTopics())

        let run = try await BenchCommandRun([
            "trial-access", "--brokers", try RuntimeTestSupport.brokers, "--referrals", "400", "--referral-writes",
        ])
        #expect(run.status == 0, "output:\n\(run.text)")

        let lines = run.lines
        #expect(lines.contains { $0.hasPrefix("trial-access: 400 referrals decided in ") && $0.contains("dead-lettered 0") }, "\(run.text)")
        #expect(lines.contains { $0.hasPrefix("pipeline baseline (reference handler, SQLite): ") }, "\(run.text)")
        #expect(
            lines.dropLast().last?.hasPrefix("pipeline baseline with a referral's writes (13 statements, 3 records per event; SQLite): ")
                == true,
            "the baseline with a referral's writes comes just before the last line:\n\(run.text)")
        let keys = [
            "events_per_s", "steady_events_per_s", "baseline_events_per_s", "baseline_steady_events_per_s", "startup_share",
            "ratio", "steady_ratio",
        ]
        #expect(run.lastKeys == keys, "last line: \(lines.last ?? "")")
        let figures = run.figures
        let events = try #require(figures["events_per_s"])
        let baseline = try #require(figures["baseline_events_per_s"])
        #expect(events > 0 && baseline > 0)
        #expect(abs(try #require(figures["ratio"]) - events / baseline) <= 0.006, "ratio is events_per_s / baseline_events_per_s")
        #expect((0...1).contains(try #require(figures["startup_share"])))

        let left = benchTopics(try await admin.listTopics()).subtracting(before)
        #expect(left.isEmpty, "topics left behind: \(left.sorted())")
    }
}
