import Foundation
import TransitDemo
import TransitSoak
import TransitTime

extension SoakCommand {
    /// Injects the faults one after another, evenly spread over the run (every fault at least
    /// once; the list repeats while time allows). Returns the timeline.
    static func injectFaults(
        _ faults: [SoakFault], injector: SoakFaultInjector, fleet: SoakFleet, seed: UInt64, start: ContinuousClock.Instant,
        end: ContinuousClock.Instant, findings: inout SoakFindings
    ) async throws -> [String] {
        let clock = ContinuousClock()
        var random = SeededRandom(seed: seed &* 31 &+ 7)
        var timeline: [String] = []
        let window = (end - start) - .seconds(10)
        let spacing = faults.isEmpty ? window : max(.seconds(25), window / faults.count)
        var next = start + .seconds(10)
        var index = 0
        while clock.now < end {
            for name in await fleet.unexpectedExits() {
                findings.record(.processExited, "\(name) exited on its own")
                timeline.append("\(seconds(clock.now - start))  \(name) exited on its own")
            }
            if !faults.isEmpty, clock.now >= next, index < faults.count || clock.now + spacing < end {
                let fault = faults[index % faults.count]
                let at = seconds(clock.now - start)
                let what = try await injector.inject(fault, random: &random)
                timeline.append("\(at)  \(what) (until \(seconds(clock.now - start)))")
                print("fault: \(timeline.last!)")
                index += 1
                next = max(next + spacing, clock.now + .seconds(5))
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        // Every fault at least once, even when the run was too short to space them.
        while index < faults.count {
            let at = seconds(clock.now - start)
            let what = try await injector.inject(faults[index], random: &random)
            timeline.append("\(at)  \(what) (until \(seconds(clock.now - start)))")
            print("fault: \(timeline.last!)")
            index += 1
        }
        return timeline
    }

    /// Waits until the output topics stop growing and no journey is stuck (or `timeout` passes),
    /// then returns the history read from the start of every output topic.
    static func settle(
        reader: SoakOutputReader, ledger: SoakLedger, capacities: [String: Int], fleet: SoakFleet, timeout: Duration,
        findings: inout SoakFindings
    ) async throws -> SoakHistory {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var last: Int64 = -1
        var stableSince = clock.now
        while true {
            for name in await fleet.unexpectedExits() { findings.record(.processExited, "\(name) exited on its own") }
            let published = (try? await reader.published()) ?? last
            if published != last {
                last = published
                stableSince = clock.now
            } else if clock.now - stableSince >= .seconds(10) {
                let history = SoakHistory(inputs: ledger.inputs, outputs: try await reader.readAll(), capacities: capacities, answers: ledger.answers)
                let stuck = HistoryChecker.check(history).count(.stuck)
                if stuck == 0 || clock.now >= deadline { return history }
                stableSince = clock.now
            }
            if clock.now >= deadline + .seconds(60) {
                return SoakHistory(inputs: ledger.inputs, outputs: try await reader.readAll(), capacities: capacities, answers: ledger.answers)
            }
            try await Task.sleep(for: .seconds(2))
        }
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "t+%.1fs", Double(duration.milliseconds) / 1_000)
    }

    /// The catalogue with the soak trial's sites set to `capacity` screening slots, written to `path`:
    /// few enough that patients wait for each other's slots, enough that journeys get to their rides.
    static func writeCatalog(from source: String, to path: String, capacity: Int) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: source))
        guard var root = try JSONSerialization.jsonObject(with: data) as? [String: Any], var trials = root["trials"] as? [[String: Any]] else {
            throw SoakError("\(source) is not a catalogue file (no trials)")
        }
        for index in trials.indices where trials[index]["trialId"] as? String == SoakJourneys.trial {
            let sites = (trials[index]["sites"] as? [[String: Any]]) ?? []
            trials[index]["sites"] = sites.map { site in
                var site = site
                site["screeningCapacity"] = capacity
                return site
            }
        }
        root["trials"] = trials
        try JSONSerialization.data(withJSONObject: root).write(to: URL(fileURLWithPath: path))
    }

    /// Partner ids of the partner file.
    static func partnerIDs(_ path: String) throws -> [String] {
        struct File: Decodable {
            struct Partner: Decodable { var id: String }
            var partners: [Partner]
        }
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path))).partners.map(\.id)
    }

    /// Screening capacity per `"<trial>/<site>"` from the catalogue file.
    static func capacities(_ path: String) throws -> [String: Int] {
        struct File: Decodable {
            struct Trial: Decodable {
                struct Site: Decodable {
                    var siteId: String
                    var screeningCapacity: Int?
                }
                var trialId: String
                var sites: [Site]
            }
            var trials: [Trial]
        }
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        var capacities: [String: Int] = [:]
        for trial in file.trials {
            for site in trial.sites { if let capacity = site.screeningCapacity { capacities["\(trial.trialId)/\(site.siteId)"] = capacity } }
        }
        return capacities
    }
}
