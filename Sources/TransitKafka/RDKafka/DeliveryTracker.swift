internal import CRdKafka
import Synchronization

/// Collects the delivery reports of one group of messages and resumes one waiter when all arrived.
///
/// Each message in flight holds one retained ``DeliveryTicket`` (the tracker and the message's
/// index in the group) through its librdkafka `msg_opaque`; the delivery callback takes it back.
final class DeliveryTracker: Sendable {
    private struct State {
        var remaining: Int
        var firstError: KafkaError?
        var failures = 0
        /// Every failed message of the group: its index and why.
        var failed: [KafkaDeliveryFailure] = []
        var lastReport: KafkaDeliveryReport?
        var continuation: CheckedContinuation<KafkaDeliveryReport?, any Error>?
    }

    private let state: Mutex<State>

    init(count: Int) {
        state = Mutex(State(remaining: count))
    }

    /// Records one delivery result (called from the delivery callback or on a local produce failure).
    func complete(_ result: Result<KafkaDeliveryReport, KafkaError>, index: Int) {
        let resume: (CheckedContinuation<KafkaDeliveryReport?, any Error>, Result<KafkaDeliveryReport?, any Error>)? =
            state.withLock { state in
                state.remaining -= 1
                switch result {
                case .success(let report): state.lastReport = report
                case .failure(let error):
                    state.failures += 1
                    state.failed.append(KafkaDeliveryFailure(index: index, error: error))
                    if state.firstError == nil { state.firstError = error }
                }
                guard state.remaining == 0, let continuation = state.continuation else { return nil }
                state.continuation = nil
                return (continuation, Self.outcome(state))
            }
        if let resume { resume.0.resume(with: resume.1) }
    }

    /// Waits until every message of the group has a delivery report. Throws the first failure.
    func wait() async throws -> KafkaDeliveryReport? {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<KafkaDeliveryReport?, any Error>? = state.withLock { state in
                if state.remaining == 0 { return Self.outcome(state) }
                state.continuation = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// Waits until every message of the group has a delivery report; returns the failed ones,
    /// in group order (empty when every message was acknowledged).
    func failures() async -> [KafkaDeliveryFailure] {
        _ = try? await wait()
        return state.withLock { $0.failed.sorted { $0.index < $1.index } }
    }

    private static func outcome(_ state: State) -> Result<KafkaDeliveryReport?, any Error> {
        if var error = state.firstError {
            if state.failures > 1 { error.message += " (\(state.failures) messages failed)" }
            return .failure(error)
        }
        return .success(state.lastReport)
    }
}

/// librdkafka's delivery-report callback, served by the producer's poll loop.
func deliveryReportCallback(
    _ rk: OpaquePointer?, _ message: UnsafePointer<rd_kafka_message_t>?, _ opaque: UnsafeMutableRawPointer?
) {
    guard let message else { return }
    let m = message.pointee
    guard let trackerPointer = m._private else {
        // Fire-and-forget message: count and log failures only.
        if m.err != RD_KAFKA_RESP_ERR_NO_ERROR, let opaque {
            let context = Unmanaged<RDKafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
            context.failedDeliveries.add(1, ordering: .relaxed)
            context.logger.error(
                "delivery failed",
                metadata: [KafkaLoggingKeys.error: "\(String(cString: rd_kafka_err2str(m.err)))"])
        }
        return
    }
    let ticket = Unmanaged<DeliveryTicket>.fromOpaque(trackerPointer).takeRetainedValue()
    let tracker = ticket.tracker
    let topic = String(cString: rd_kafka_topic_name(m.rkt))
    if m.err == RD_KAFKA_RESP_ERR_NO_ERROR {
        tracker.complete(.success(KafkaDeliveryReport(topic: topic, partition: m.partition, offset: m.offset)), index: ticket.index)
    } else {
        var error = KafkaError(rdError: m.err, context: "delivery to \(topic)")
        if let opaque,
            let last = Unmanaged<RDKafkaClientContext>.fromOpaque(opaque).takeUnretainedValue().lastError.withLock({ $0 })
        {
            error.message += " (last broker error: \(last))"
        }
        tracker.complete(.failure(error), index: ticket.index)
    }
}

/// One message's place in a ``DeliveryTracker``'s group: what its `msg_opaque` points to.
final class DeliveryTicket: Sendable {
    let tracker: DeliveryTracker
    let index: Int

    init(tracker: DeliveryTracker, index: Int) {
        self.tracker = tracker
        self.index = index
    }
}

/// A message of a group that was not delivered: its index in the group and why.
public struct KafkaDeliveryFailure: Sendable {
    /// Position of the message in the group handed to ``KafkaProducer/enqueue(_:)``.
    public var index: Int
    /// Why it failed; ``KafkaError/isPermanent`` tells whether sending it again can succeed.
    public var error: KafkaError
}
