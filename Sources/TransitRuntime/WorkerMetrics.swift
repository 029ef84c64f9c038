import Metrics
import TransitKafka

/// A worker's figures as swift-metrics instruments (the process bootstraps the backend, e.g.
/// Prometheus; without one they cost nothing). Labels carry the worker's name, topic names and
/// dead-letter codes only: never a key, an id or a payload. ``WorkerStats`` counts the same events.
struct WorkerMetrics: Sendable {
    let worker: String
    private let handled: Counter
    private let duplicates: Counter
    private let retries: Counter
    private let timersFired: Counter
    private let batchDuration: Timer
    private let timersDue: Gauge

    init(worker: String) {
        self.worker = worker
        let dimensions = [("worker", worker)]
        handled = Counter(label: "trialtransit_events_handled_total", dimensions: dimensions)
        duplicates = Counter(label: "trialtransit_duplicates_skipped_total", dimensions: dimensions)
        retries = Counter(label: "trialtransit_retries_total", dimensions: dimensions)
        timersFired = Counter(label: "trialtransit_timers_fired_total", dimensions: dimensions)
        batchDuration = Timer(label: "trialtransit_batch_duration_seconds", dimensions: dimensions)
        timersDue = Gauge(label: "trialtransit_timers_due", dimensions: dimensions)
    }

    /// Counts the records of a polled batch per topic.
    func consumed(_ batch: KafkaMessageBatch) {
        var perTopic: [String: Int] = [:]
        for message in batch { perTopic[message.topic, default: 0] += 1 }
        for (topic, count) in perTopic {
            Counter(label: "trialtransit_records_consumed_total", dimensions: [("worker", worker), ("topic", topic)])
                .increment(by: count)
        }
    }

    /// Adds what a committed transaction (or a retry) did.
    func record(_ delta: WorkerStats) {
        if delta.handled > 0 { handled.increment(by: delta.handled) }
        if delta.duplicates > 0 { duplicates.increment(by: delta.duplicates) }
        if delta.retries > 0 { retries.increment(by: delta.retries) }
        if delta.timersFired > 0 { timersFired.increment(by: delta.timersFired) }
        for (code, count) in delta.deadLetteredByCode {
            Counter(label: "trialtransit_dead_letters_total", dimensions: [("worker", worker), ("code", Self.codeLabel(code))])
                .increment(by: count)
        }
    }

    /// A dead-letter code as a label: codes are upper-case constants; anything else (which could
    /// carry data) is counted as `OTHER`.
    static func codeLabel(_ code: String) -> String {
        let allowed = code.utf8.count <= 64 && !code.isEmpty
            && code.utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "_") }
        return allowed ? code : "OTHER"
    }

    /// How long a batch took from its transaction's start to its offsets being stored.
    func batchTook(_ duration: Duration) {
        batchDuration.recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    /// Timers found due at the last check.
    func timersDue(_ count: Int) {
        timersDue.record(count)
    }
}
