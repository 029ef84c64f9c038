import Testing
import TransitTestSupport

/// `trialtransit demo` as `scripts/demo` runs it (the built binary, the samples of the repository,
/// the local broker): the Boston journeys, then the Madrid journey up to the urgent ride a grade 3
/// colitis brings, printed with labels and site ids only.
@Suite("trialtransit demo", .serialized, .timeLimit(.minutes(5)))
struct DemoCommandTests {
    @Test("the demo runs the Boston journeys and the Spanish journey with its urgent visit and ride")
    func bostonAndSpanishJourneys() async throws {
        let run = try await Ops.cli(
            ["demo", "--brokers", try Ops.brokers, "--local-broker", "--timeout", "180"], timeout: .seconds(240),
            workingDirectory: TestEnvironment.repositoryRoot)
        #expect(run.status == 0, "\(run)")
        let output = run.stdout
        for line in [
            "workers, partners (careways-medical, concierge-salud, metro-taxi, taxi-madrid) and watcher are up",
            "  P6 trial access: candidate → eligible at site es-mad-12oct (ALL_CRITERIA_MET)",
            "  P6 screening visit planned at es-mad-12oct, 72 h from now",
            "→ P6: the site reports a grade 3 colitis (CTCAE 10009887)",
            "  P6 unscheduled visit planned at es-mad-12oct, 2 h from now",
            "  P6 travel needed for the urgent unscheduled visit: rides with the earliest pickup",
            "  P1: eligible at us-bos-01; rides completed: screening visit (metro-taxi)",
            "  P3: eligible at us-bos-01; rides completed: screening visit (careways-medical)",
            "  P4: waitlisted",
            "  P6: eligible at es-mad-12oct; rides completed: screening visit (taxi-madrid), "
                + "urgent unscheduled visit (taxi-madrid)",
            "  6 decisions, 4 rides completed",
        ] {
            #expect(run.lines.contains(line), "missing \"\(line)\" in \(run)")
        }
        #expect(
            run.lines.contains { $0.hasPrefix("  P6 ride outbound-1 to the urgent unscheduled visit requested: pickup ") },
            "\(run)")
        #expect(run.lines.filter { $0 == "  P6 ride outbound-1 with taxi-madrid: completed" }.count == 2, "\(run)")
        // Labels and site ids only: no patient refs, pickup addresses, contact tokens or site addresses.
        for personal in ["-p6", "pickup address", "tok-", "Avenida de Córdoba"] {
            #expect(!output.contains(personal), "\(personal) in \(run)")
        }
    }
}
