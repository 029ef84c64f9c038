import Tracing
import TransitKafka
import TransitRPC
import TransitStore

/// The `publish` spans of the outbox relay: one per output that carries a trace, a child of the
/// span its `traceparent` names (the `store` span of the record that caused it, see
/// ``RecordTracing``), from the hand-over to the producer until the broker acknowledged or
/// refused it. The record sent carries the `publish` span's `traceparent`, so its consumers
/// continue from there. Without a tracer nothing is done: the rows go out as stored.
struct OutboxTracing: Sendable {
    let tracer: any Tracer
    private let enabled: Bool

    init(tracer: any Tracer) {
        self.tracer = tracer
        self.enabled = !(tracer is NoOpTracer)
    }

    /// The records to produce for `rows`, and the spans of those that carry a trace.
    func publishing(_ rows: [OutboxMessage]) -> (messages: [KafkaProducerMessage], spans: [(index: Int, span: any Span)]) {
        guard enabled else { return (rows.map(\.producerMessage), []) }
        var spans: [(index: Int, span: any Span)] = []
        let messages = rows.enumerated().map { index, row in
            var message = row.producerMessage
            guard message.headers.contains(where: { $0.name == TransitHeaders.traceparent }) else { return message }
            let span = tracer.startSpan(
                "publish", context: TracePropagation.context(of: message.headers, tracer: tracer), ofKind: .producer)
            if span.isRecording {
                span.attributes["messaging.system"] = "kafka"
                span.attributes["messaging.destination.name"] = row.topic
            }
            TracePropagation.inject(span.context, into: &message.headers, tracer: tracer)
            spans.append((index, span))
            return message
        }
        return (messages, spans)
    }

    /// Ends the spans of a group once its delivery reports are in.
    func delivered(_ spans: [(index: Int, span: any Span)], failures: [KafkaDeliveryFailure]) {
        guard !spans.isEmpty else { return }
        let failed = Dictionary(failures.map { ($0.index, $0.error) }, uniquingKeysWith: { first, _ in first })
        for (index, span) in spans {
            if let error = failed[index] {
                span.recordError(error)
                span.setStatus(SpanStatus(code: .error))
            }
            span.end()
        }
    }
}
