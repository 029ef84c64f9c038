import Synchronization
import Tracing
import TransitKafka
import TransitRPC
import TransitStore

/// The spans of a worker's records, one chain per record in the record's trace:
/// `consume` (the record in the worker) → `handle` (the handler) → `store` (until the transaction
/// holding its effects committed) → `publish` (each output, until the broker acknowledged it; see
/// ``OutboxTracing``). Every output of the record is stamped with the `store` span's `traceparent`
/// here, in one place (``stamp(_:from:in:)``); without a tracer that is the input's trace id with
/// a new span id (``TracePropagation``).
struct RecordTracing: Sendable {
    let tracer: any Tracer
    let worker: String

    /// The `consume` span of a record, a child of the context its headers carry.
    func consume(_ message: KafkaConsumerMessage) -> any Span {
        let span = tracer.startSpan(
            "consume", context: TracePropagation.context(of: message.headers, tracer: tracer), ofKind: .consumer)
        if span.isRecording {
            span.attributes["messaging.system"] = "kafka"
            span.attributes["messaging.destination.name"] = message.topic
            span.attributes["messaging.kafka.destination.partition"] = Int64(message.partition)
            span.attributes["messaging.kafka.message.offset"] = message.offset
            span.attributes["trialtransit.worker"] = worker
        }
        return span
    }

    /// Runs the handler of a record in its `handle` span (bound as the task's `ServiceContext`, so
    /// log lines carry the trace id) and returns the ended span; a failure is recorded on it.
    func handle(parent: ServiceContext, _ body: () throws -> Void) throws -> any Span {
        let span = tracer.startSpan("handle", context: parent, ofKind: .internal)
        defer { span.end() }
        do {
            try ServiceContext.$current.withValue(span.context) { try body() }
            return span
        } catch {
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
    }

    /// Starts the `store` span of a handled record (ended by `spans` once the transaction is over)
    /// and stamps the record's outputs with it.
    func stamp(_ outputs: inout ArraySlice<OutboxMessage>, from handle: any Span, in spans: StoreSpans) {
        let span = tracer.startSpan("store", context: handle.context, ofKind: .internal)
        spans.append(span)
        guard !outputs.isEmpty else { return }
        var traceparent: [UInt8]?
        for index in outputs.indices where !outputs[index].headers.contains(where: { $0.name == TransitHeaders.traceparent }) {
            if traceparent == nil {
                guard let value = TracePropagation.traceparent(in: span.context, tracer: tracer) else { return }
                traceparent = Array(value.utf8)
            }
            outputs[index].headers.append(OutboxHeader(name: TransitHeaders.traceparent, value: traceparent ?? []))
        }
    }
}

/// The `store` spans of one transaction attempt, ended when it committed or failed.
final class StoreSpans: Sendable {
    private let spans = Mutex<[any Span]>([])

    func append(_ span: any Span) {
        spans.withLock { $0.append(span) }
    }

    /// Ends every span; `error` is the transaction's failure, if it failed.
    func end(error: (any Error)?) {
        for span in spans.withLock({ $0 }) {
            if let error {
                span.recordError(error)
                span.setStatus(SpanStatus(code: .error))
            }
            span.end()
        }
    }
}
