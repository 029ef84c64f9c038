/// The kinds of anomaly the history checker counts; each must be 0 for a passing soak.
public enum SoakAnomaly: String, Sendable, CaseIterable, Comparable {
    /// Two records with one event id but different bytes (an effect computed twice).
    case conflictingDuplicate = "conflicting-duplicate"
    /// One effect published under two event ids (the same enrollment state, the same ride status, a second slot for a patient).
    case doubleEffect = "double-effect"
    /// Per key, an output that contradicts the ones before it (a state change from a state the key is not in, a ride status moving backwards or after the end).
    case illegalOrder = "illegal-order"
    /// More live slot holds at a site than its screening capacity.
    case overBooked = "over-booked"
    /// A second live ride for a visit while another one is live.
    case secondLiveRide = "second-live-ride"
    /// A ride still live for a visit the soak cancelled, or travel needed again after the cancellation.
    case rideForCancelledVisit = "ride-for-cancelled-visit"
    /// A journey that did not reach a terminal or waiting state in time.
    case stuck = "stuck"
    /// A patient ref or address the soak generated found in a worker's log.
    case personalDataInLogs = "personal-data-in-logs"
    /// A worker or partner process ended without the soak asking it to.
    case processExited = "process-exited"
    /// Calls with one idempotency key answered differently (or one never answered).
    case differentAnswers = "different-answers"

    public static func < (lhs: SoakAnomaly, rhs: SoakAnomaly) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What the checker found: counts per kind and one line of detail for the first few of each.
public struct SoakFindings: Sendable, Equatable {
    public private(set) var counts: [SoakAnomaly: Int] = [:]
    public private(set) var examples: [SoakAnomaly: [String]] = [:]
    /// Byte-identical copies of an event (allowed by the contract; shown, not counted as anomalies).
    public var identicalCopies = 0

    public init() {}

    public var total: Int { counts.values.reduce(0, +) }

    public func count(_ anomaly: SoakAnomaly) -> Int { counts[anomaly] ?? 0 }

    public mutating func record(_ anomaly: SoakAnomaly, _ detail: @autoclosure () -> String) {
        counts[anomaly, default: 0] += 1
        if examples[anomaly, default: []].count < 3 { examples[anomaly, default: []].append(detail()) }
    }

    public mutating func merge(_ other: SoakFindings) {
        for (anomaly, count) in other.counts { counts[anomaly, default: 0] += count }
        for (anomaly, lines) in other.examples {
            examples[anomaly, default: []] = Array((examples[anomaly, default: []] + lines).prefix(3))
        }
        identicalCopies += other.identicalCopies
    }
}
