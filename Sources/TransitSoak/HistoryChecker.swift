/// Checks a soak's history against the guarantees of docs/CONTRACT.md and a model of the domain.
///
/// Pure: the same history gives the same findings. Outputs are taken per topic and partition in
/// offset order (one key lives on one partition), so "per key order" is the order a consumer sees.
public enum HistoryChecker {
    public static func check(_ history: SoakHistory) -> SoakFindings {
        var findings = SoakFindings()
        let unique = firstCopies(history.outputs, &findings)
        var model = KeyOrderModel()
        for output in unique { model.apply(output, &findings) }
        SlotCapacityCheck.check(unique, capacities: history.capacities, &findings)
        model.checkEnd(inputs: history.inputs, &findings)
        checkDecisions(history.inputs, unique, &findings)
        checkAnswers(history.answers, &findings)
        return findings
    }

    /// Every call with one idempotency key got the same answer, byte for byte (a repeat is
    /// answered from the stored first answer, never decided again), and each key was answered.
    /// One effect per key is checked with the outputs: a referral made by RPC is an input whose
    /// event id is the call's command id (`rpc:<Method>:<key>`), decided once like any other.
    static func checkAnswers(_ answers: [String: [[UInt8]]], _ findings: inout SoakFindings) {
        for (key, replies) in answers.sorted(by: { $0.key < $1.key }) {
            guard let first = replies.first else {
                findings.record(.differentAnswers, "call \(key) never answered")
                continue
            }
            if replies.contains(where: { $0 != first }) {
                findings.record(.differentAnswers, "calls with key \(key): \(Set(replies.map(\.count)).count) different answers")
            }
        }
    }

    /// The first copy of each event id, in (topic, partition, offset) order. A later copy must be
    /// byte-identical (counted in ``SoakFindings/identicalCopies``); one with other bytes is a
    /// conflicting duplicate: the effect was computed twice.
    static func firstCopies(_ outputs: [SoakOutput], _ findings: inout SoakFindings) -> [SoakOutput] {
        let ordered = outputs.sorted { ($0.topic, $0.partition, $0.offset) < ($1.topic, $1.partition, $1.offset) }
        var seen: [String: [UInt8]] = [:]
        var unique: [SoakOutput] = []
        for output in ordered {
            if let first = seen[output.eventID] {
                if first == output.payload {
                    findings.identicalCopies += 1
                } else {
                    findings.record(.conflictingDuplicate, "\(output.fact.kind) \(output.eventID) at \(output.topic)/\(output.partition)/\(output.offset)")
                }
                continue
            }
            seen[output.eventID] = output.payload
            unique.append(output)
        }
        return unique
    }

    /// Each referral the soak sent has a decision: an EnrollmentStatusChanged caused by it (output
    /// event ids start with their cause's event id and a slash).
    static func checkDecisions(_ inputs: [SoakInput], _ outputs: [SoakOutput], _ findings: inout SoakFindings) {
        var decided: Set<String> = []
        for output in outputs {
            guard case .enrollmentStatus = output.fact, let slash = output.eventID.firstIndex(of: "/") else { continue }
            decided.insert(String(output.eventID[..<slash]))
        }
        var checked: Set<String> = []
        for input in inputs where input.kind == .referral && checked.insert(input.eventID).inserted {
            if !decided.contains(input.eventID) { findings.record(.stuck, "referral \(input.eventID) has no decision") }
        }
    }

    /// Lines of a worker's log that contain a patient ref or address the soak generated: one
    /// anomaly per line and secret (the line itself is not repeated, it holds personal data).
    public static func checkLog(_ lines: some Sequence<Substring>, secrets: Set<String>, logName: String) -> SoakFindings {
        var findings = SoakFindings()
        for (number, line) in lines.enumerated() {
            for secret in secrets where line.contains(secret) {
                findings.record(.personalDataInLogs, "\(logName) line \(number + 1)")
            }
        }
        return findings
    }
}
