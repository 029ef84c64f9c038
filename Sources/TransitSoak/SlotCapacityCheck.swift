/// No site holds more screening slots than its capacity at any moment of the outputs' own clock
/// (`occurred_at`). Each slot is held from its reservation until its release; a slot reserved and
/// released at the same instant (one batch) is never held, and at one instant releases come first.
enum SlotCapacityCheck {
    static func check(_ outputs: [SoakOutput], capacities: [String: Int], _ findings: inout SoakFindings) {
        struct Hold {
            var site: String
            var from: Int64
            var until = Int64.max
        }
        var holds: [String: Hold] = [:]
        for output in outputs {
            switch output.fact {
            case .slotReserved(let trial, let site, let slot):
                holds[slot] = Hold(site: "\(trial)/\(site)", from: output.occurredAt)
            case .slotReleased(_, _, let slot):
                holds[slot]?.until = output.occurredAt
            default: continue
            }
        }
        let bySite = Dictionary(grouping: holds.values, by: \.site)
        for (site, siteHolds) in bySite.sorted(by: { $0.key < $1.key }) {
            guard let capacity = capacities[site] else { continue }
            for moment in Set(siteHolds.map(\.from)).sorted() {
                let held = siteHolds.filter { $0.from <= moment && moment < $0.until }.count
                if held > capacity { findings.record(.overBooked, "\(site) holds \(held) > \(capacity) at \(moment)") }
            }
        }
    }
}
