import Testing

/// `trialtransit-bench trial-access` and `transport` end to end on small loads: both sides (and
/// the baselines they print) are there, the last line carries the rates and their ratios, and the
/// run leaves none of its topics on the broker. Figures are not judged here; see
/// docs/PERFORMANCE.md. One at a time: both create `bench-baseline-` topics, and each checks that
/// its own are gone.
@Suite("bench trial-access and transport commands", .serialized, .timeLimit(.minutes(3)))
struct DomainBenchmarkCommandTests {
    @Test func trialAccessPrintsBothSidesAndTheirRatioLastAndLeavesNoTopicBehind() async throws {
        let run = try await BenchCommandRun(
            ["trial-access", "--brokers", try RuntimeTestSupport.brokers, "--referrals", "400", "--referral-writes"],
            topicPrefixes: ["bench-ta-", "bench-baseline-"])
        run.expectSucceededAndCleanedUp()

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
    }

    @Test func transportConfirmsEveryBookingPrintsItsRatioLastAndLeavesNoTopicBehind() async throws {
        let run = try await BenchCommandRun(
            ["transport", "--brokers", try RuntimeTestSupport.brokers, "--bookings", "300", "--booking-writes"],
            topicPrefixes: ["bench-tr-", "bench-baseline-"])
        run.expectSucceededAndCleanedUp()

        let lines = run.lines
        #expect(
            lines.contains {
                $0.hasPrefix("transport: 300 bookings confirmed in ") && $0.contains("worker handled 900 inputs")
                    && $0.contains("dead-lettered 0; partner accepted 300 offers")
            }, "\(run.text)")
        #expect(lines.contains { $0.hasPrefix("pipeline baseline: ") }, "\(run.text)")
        let writes = "pipeline baseline with a transport input's writes (13 statements, 2.67 records per event; SQLite)"
        let beforeLast = Array(lines.dropLast().suffix(2))
        #expect(
            beforeLast.count == 2 && beforeLast[0].hasPrefix(writes + ": ")
                && beforeLast[1].hasPrefix(writes + " and 2 consumers waiting at a topic's end: "),
            "the baselines with a transport input's writes, alone and beside waiting consumers, come just before the last line:\n\(run.text)")
        let keys = [
            "bookings_per_s", "inputs_per_s", "steady_inputs_per_s", "baseline_events_per_s", "baseline_steady_events_per_s",
            "startup_share", "ratio", "steady_ratio",
        ]
        #expect(run.lastKeys == keys, "last line: \(lines.last ?? "")")
        let figures = run.figures
        let bookings = try #require(figures["bookings_per_s"])
        let inputs = try #require(figures["inputs_per_s"])
        let baseline = try #require(figures["baseline_events_per_s"])
        #expect(bookings > 0 && baseline > 0)
        #expect(abs(inputs - 3 * bookings) <= 3, "3 worker inputs per booking")
        #expect(abs(try #require(figures["ratio"]) - inputs / baseline) <= 0.006, "ratio is inputs_per_s / baseline_events_per_s")
    }
}
