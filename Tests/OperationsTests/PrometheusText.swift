import TransitHTTP
import TransitTestSupport

/// A `/metrics` page, parsed: the value of every sample by its name and labels as printed
/// (`name{label="value",…}`; `name` alone when it has none).
struct PrometheusText: CustomStringConvertible {
    var samples: [String: Double] = [:]
    var description: String { samples.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "\n") }

    init(_ text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
    }

    /// The sum over the samples named `name` whose labels include every one of `labels`.
    func sum(_ name: String, _ labels: [String: String] = [:]) -> Double {
        matching(name, labels).values.reduce(0, +)
    }

    /// How many samples are named `name` with labels including every one of `labels`.
    func count(_ name: String, _ labels: [String: String] = [:]) -> Int {
        matching(name, labels).count
    }

    private func matching(_ name: String, _ labels: [String: String]) -> [String: Double] {
        samples.filter { key, _ in
            let sampleName = key.prefix { $0 != "{" }
            return sampleName == name && labels.allSatisfy { key.contains("\($0.key)=\"\($0.value)\"") }
        }
    }

    /// Fetches and parses `http://127.0.0.1:port/metrics`.
    static func scrape(port: Int) async throws -> PrometheusText {
        let answer = try await onOwnThread { try ProbeClient.get("/metrics", port: port) }
        guard answer.status == 200 else { throw TestFailure("/metrics answered \(answer.status): \(answer.body)") }
        return PrometheusText(answer.body)
    }
}
