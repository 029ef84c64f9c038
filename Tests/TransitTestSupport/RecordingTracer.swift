import InMemoryTracing
import Tracing

/// A tracer that keeps its spans in memory (swift-distributed-tracing's `InMemoryTracer`) and
/// propagates them as W3C `traceparent` headers, as a production tracer (swift-otel) does: ids are
/// 32 and 16 hex digits, `inject` writes `00-<trace>-<span>-01`, `extract` reads it. Bind it to a
/// test with `withTracer(tracer) { … }` around the creation of the workers, relays and RPC
/// clients under test (they keep the tracer active when they were created).
public struct RecordingTracer: Tracer {
    public typealias Span = InMemorySpan

    private let recorder = InMemoryTracer(
        idGenerator: InMemoryTracer.IDGenerator(
            nextTraceID: { hex(UInt64.random(in: 1...UInt64.max)) + hex(UInt64.random(in: 1...UInt64.max)) },
            nextSpanID: { hex(UInt64.random(in: 1...UInt64.max)) }),
        recordInjections: false, recordExtractions: false)

    public init() {}

    /// Spans that ended, in the order they ended.
    public var finishedSpans: [RecordedSpan] { recorder.finishedSpans.map(RecordedSpan.init) }

    /// Finished spans of `traceID` named `name`.
    public func spans(named name: String, inTrace traceID: String) -> [RecordedSpan] {
        finishedSpans.filter { $0.operationName == name && $0.traceID == traceID }
    }

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> ServiceContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> InMemorySpan {
        recorder.startSpan(
            operationName, context: context(), ofKind: kind, at: instant(), function: function, file: fileID, line: line)
    }

    public func activeSpan(identifiedBy context: ServiceContext) -> InMemorySpan? {
        recorder.activeSpan(identifiedBy: context)
    }

    public func forceFlush() {}

    public func inject<Carrier, Inject: Injector>(
        _ context: ServiceContext, into carrier: inout Carrier, using injector: Inject
    ) where Carrier == Inject.Carrier {
        guard let span = context.inMemorySpanContext else { return }
        injector.inject("00-\(span.traceID)-\(span.spanID)-01", forKey: "traceparent", into: &carrier)
    }

    public func extract<Carrier, Extract: Extractor>(
        _ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract
    ) where Carrier == Extract.Carrier {
        guard let traceparent = extractor.extract(key: "traceparent", from: carrier) else { return }
        let parts = traceparent.split(separator: "-")
        guard parts.count == 4, parts[1].count == 32, parts[2].count == 16 else { return }
        context.inMemorySpanContext = InMemorySpanContext(traceID: String(parts[1]), spanID: String(parts[2]), parentSpanID: nil)
    }
}

/// A span that ended: its name, ids, kind and attributes.
public struct RecordedSpan: Sendable {
    public var operationName: String
    public var traceID: String
    public var spanID: String
    public var parentSpanID: String?
    public var kind: SpanKind
    public var attributes: SpanAttributes
    /// Whether the span ended with an error status.
    public var failed: Bool

    init(_ span: FinishedInMemorySpan) {
        operationName = span.operationName
        traceID = span.traceID
        spanID = span.spanID
        parentSpanID = span.parentSpanID
        kind = span.kind
        attributes = span.attributes
        failed = span.status?.code == .error
    }
}

/// `value` as 16 lower-case hex digits.
private func hex(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
}
