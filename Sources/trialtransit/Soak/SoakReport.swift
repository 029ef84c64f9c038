import Foundation
import TransitSoak

/// The soak's printout: the fault timeline and a table of anomaly counts with a few examples.
struct SoakReport {
    let timeline: [String]
    let findings: SoakFindings
    /// Outputs read, per body.
    let kinds: [String: Int]

    func print() {
        Swift.print("\nfault timeline:")
        if timeline.isEmpty { Swift.print("  (no faults)") }
        for line in timeline { Swift.print("  \(line)") }
        Swift.print("\noutputs: " + kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        Swift.print("\nanomaly                     count")
        for anomaly in SoakAnomaly.allCases {
            Swift.print("  \(anomaly.rawValue.padding(toLength: 26, withPad: " ", startingAt: 0))\(findings.count(anomaly))")
            for example in findings.examples[anomaly] ?? [] { Swift.print("      e.g. \(example)") }
        }
        Swift.print("  (byte-identical copies, allowed: \(findings.identicalCopies))\n")
    }
}
