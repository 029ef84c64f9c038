/// No site holds more screening slots than its capacity, at any moment of the outputs' own clock
/// (`occurred_at`; at one instant releases count before reservations).
enum SlotCapacityCheck {
    static func check(_ outputs: [SoakOutput], capacities: [String: Int], _ findings: inout SoakFindings) {
        struct Change {
            var at: Int64
            var site: String
            var slot: String
            var reserve: Bool
        }
        var changes: [Change] = []
        for output in outputs {
            switch output.fact {
            case .slotReserved(let trial, let site, let slot):
                changes.append(Change(at: output.occurredAt, site: "\(trial)/\(site)", slot: slot, reserve: true))
            case .slotReleased(let trial, let site, let slot):
                changes.append(Change(at: output.occurredAt, site: "\(trial)/\(site)", slot: slot, reserve: false))
            default: continue
            }
        }
        changes.sort { ($0.at, $0.reserve ? 1 : 0) < ($1.at, $1.reserve ? 1 : 0) }
        var held: [String: Set<String>] = [:]
        for change in changes {
            if change.reserve {
                held[change.site, default: []].insert(change.slot)
                if let capacity = capacities[change.site], held[change.site, default: []].count > capacity {
                    findings.record(.overBooked, "\(change.site) holds \(held[change.site, default: []].count) > \(capacity)")
                }
            } else {
                held[change.site, default: []].remove(change.slot)
            }
        }
    }
}
