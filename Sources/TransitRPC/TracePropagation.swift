import Logging
import TransitKafka
import Tracing

/// The one place where a record's trace goes on to what it causes (contract: `traceparent` is
/// passed from input to every output). An input's headers become a `ServiceContext` through
/// ``context(of:tracer:)``; every output made under that context (or a span started from it) gets
/// its `traceparent` from ``traceparent(in:tracer:)``: the tracer's own (the span that made the
/// output) when a tracer is bootstrapped, else the input's trace id with a new span id.
public enum TracePropagation {
    /// The context of an input record: what `tracer` extracts from its headers, plus the input's
    /// raw `traceparent` (so that outputs keep the trace without a tracer too). Top level when the
    /// record carries no `traceparent`.
    public static func context(of headers: [KafkaHeader], tracer: any Tracer) -> ServiceContext {
        var context = ServiceContext.topLevel
        guard let traceparent = headers.string(TransitHeaders.traceparent) else { return context }
        tracer.extract(headers, into: &context, using: KafkaHeaderCarrier())
        context[InputTraceparentKey.self] = traceparent
        return context
    }

    /// The `traceparent` of an output made in `context`: injected by `tracer` (its current span)
    /// when it injects one, else the input's trace id with a new span id (a malformed input
    /// `traceparent` is passed on as it is); nil when the input had none.
    public static func traceparent(in context: ServiceContext, tracer: any Tracer) -> String? {
        var carrier: [KafkaHeader] = []
        tracer.inject(context, into: &carrier, using: KafkaHeaderCarrier())
        if let injected = carrier.string(TransitHeaders.traceparent) { return injected }
        return context[InputTraceparentKey.self].map { TraceContext.child(of: $0) ?? $0 }
    }

    /// `headers` with the `traceparent` of ``traceparent(in:tracer:)`` added, unless they carry one.
    public static func stamped(_ headers: [KafkaHeader], in context: ServiceContext, tracer: any Tracer) -> [KafkaHeader] {
        guard !headers.contains(where: { $0.name == TransitHeaders.traceparent }),
            let traceparent = traceparent(in: context, tracer: tracer)
        else { return headers }
        return headers + [KafkaHeader(name: TransitHeaders.traceparent, string: traceparent)]
    }

    /// Replaces the `traceparent` of `headers` with the one `tracer` injects for `context` (the
    /// span sending the record); leaves them as they are when it injects none.
    public static func inject(_ context: ServiceContext, into headers: inout [KafkaHeader], tracer: any Tracer) {
        tracer.inject(context, into: &headers, using: KafkaHeaderCarrier())
    }

    /// The trace id of `context` (the input's), for log metadata.
    public static func traceID(in context: ServiceContext) -> String? {
        context[InputTraceparentKey.self].flatMap { TraceContext.traceID(of: $0) }.map(String.init)
    }

    /// Log metadata `trace_id` of the current task's `ServiceContext` (the record being handled).
    public static let loggingMetadata = Logger.MetadataProvider {
        guard let context = ServiceContext.current, let id = traceID(in: context) else { return [:] }
        return ["trace_id": "\(id)"]
    }
}

/// The input record's `traceparent`, kept in its context.
private enum InputTraceparentKey: ServiceContextKey {
    typealias Value = String
}

/// Reads and writes trace headers of a Kafka record for the tracer.
struct KafkaHeaderCarrier: Extractor, Injector {
    func extract(key: String, from carrier: [KafkaHeader]) -> String? {
        carrier.string(key)
    }

    func inject(_ value: String, forKey key: String, into carrier: inout [KafkaHeader]) {
        carrier.removeAll { $0.name == key }
        carrier.append(KafkaHeader(name: key, string: value))
    }
}
