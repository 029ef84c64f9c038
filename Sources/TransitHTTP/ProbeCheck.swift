/// One named condition of a process's liveness or readiness, answered when a probe asks.
public struct ProbeCheck: Sendable {
    /// What the check is about, e.g. `trial-access.partitions` (no personal data: it is shown to operators).
    public var name: String
    /// Nil when the condition holds, else why not (one line).
    public var failure: @Sendable () async -> String?

    public init(_ name: String, failure: @escaping @Sendable () async -> String?) {
        self.name = name
        self.failure = failure
    }

    /// A check that fails with `reason` while `holds` is false.
    public static func condition(_ name: String, _ reason: String, holds: @escaping @Sendable () async -> Bool) -> ProbeCheck {
        ProbeCheck(name) { await holds() ? nil : reason }
    }
}

/// What `/healthz` and `/readyz` of a process check.
public struct ProcessProbes: Sendable {
    /// Liveness: the process makes progress (a failing one should be restarted).
    public var liveness: [ProbeCheck]
    /// Readiness: the process does its work (subscribed, store reachable, start-up flush done).
    public var readiness: [ProbeCheck]

    public init(liveness: [ProbeCheck] = [], readiness: [ProbeCheck] = []) {
        self.liveness = liveness
        self.readiness = readiness
    }

    /// Adds the checks of `other`.
    public mutating func append(_ other: ProcessProbes) {
        liveness += other.liveness
        readiness += other.readiness
    }
}

/// The outcome of a set of checks: the names of those that failed, with their reasons.
public struct ProbeReport: Sendable, Equatable {
    public var failures: [(name: String, reason: String)]

    public static func == (lhs: ProbeReport, rhs: ProbeReport) -> Bool {
        lhs.failures.map(\.name) == rhs.failures.map(\.name) && lhs.failures.map(\.reason) == rhs.failures.map(\.reason)
    }

    /// True when every check held.
    public var passed: Bool { failures.isEmpty }

    /// Runs `checks` in order.
    public static func evaluate(_ checks: [ProbeCheck]) async -> ProbeReport {
        var failures: [(name: String, reason: String)] = []
        for check in checks {
            if let reason = await check.failure() { failures.append((check.name, reason)) }
        }
        return ProbeReport(failures: failures)
    }

    /// `{"status":"ok"}`, or `{"status":"failing","failing":{"name":"reason",…}}`.
    public func json(passing: String = "ok", failing: String = "failing") -> String {
        guard !passed else { return "{\"status\":\"\(passing)\"}\n" }
        let entries = failures.map { "\(Self.quoted($0.name)):\(Self.quoted($0.reason))" }
        return "{\"status\":\"\(failing)\",\"failing\":{\(entries.joined(separator: ","))}}\n"
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
