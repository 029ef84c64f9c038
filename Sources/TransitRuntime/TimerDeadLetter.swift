import TransitRPC
import TransitStore

/// A due timer whose handler kept failing, as it goes to the dead-letter topic: keyed by the
/// timer key, its payload as the value, the `dlq-*` headers (code `TIMER_FAILED`; no source
/// record, so source topic empty and partition and offset -1) and `dlq-timer-*` headers naming
/// the timer.
struct TimerDeadLetter {
    var timer: DurableTimer
    var group: String
    var attempts: Int
    var reason: String
    var failedAt: Int64

    static let code = "TIMER_FAILED"
    static let timerKeyHeader = "dlq-timer-key"
    static let timerOwnerHeader = "dlq-timer-owner"
    static let timerFireAtHeader = "dlq-timer-fire-at"

    func outboxMessage(topic: String) -> OutboxMessage {
        let headers: [(String, String)] = [
            (TransitHeaders.dlqSourceTopic, ""), (TransitHeaders.dlqSourcePartition, "-1"), (TransitHeaders.dlqSourceOffset, "-1"),
            (TransitHeaders.dlqConsumerGroup, group), (TransitHeaders.dlqAttempts, String(attempts)),
            (TransitHeaders.dlqErrorCode, Self.code), (TransitHeaders.dlqError, reason), (TransitHeaders.dlqFailedAt, String(failedAt)),
            (Self.timerKeyHeader, timer.key), (Self.timerOwnerHeader, timer.owner), (Self.timerFireAtHeader, String(timer.fireAt)),
        ]
        return OutboxMessage(
            topic: topic, key: Array(timer.key.utf8), value: timer.payload,
            headers: headers.map { OutboxHeader(name: $0.0, value: Array($0.1.utf8)) })
    }
}
