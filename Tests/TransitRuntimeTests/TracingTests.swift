import Testing
import Tracing
import TransitKafka
import TransitRPC
import TransitRuntime
import TransitTestSupport

/// A record's spans and the trace its outputs carry, through the local broker and a real store.
@Suite("runtime: tracing", .timeLimit(.minutes(5)))
struct TracingTests {
    @Test("a record's spans chain consume → handle → store → publish in its trace; its output carries the publish span")
    func spansChainFromConsumeToPublish() async throws {
        let tracer = RecordingTracer()
        let (input, output, topics) = try await RuntimeTestSupport.topics("tracing", partitions: 1)
        let (path, store) = try await RuntimeTestSupport.migratedSQLite()
        defer { RuntimeTestSupport.removeSQLite(path) }
        let running = try withTracer(tracer) {
            try RuntimeTestSupport.startWorker(
                store: store, input: input, output: output, topics: topics, group: RuntimeTestSupport.unique("tracing"))
        }
        defer { running.task.cancel() }

        let traceID = "0af7651916cd43dd8448eb211c80319c"
        let inputSpan = "b7ad6b7169203331"
        try await RuntimeTestSupport.publish(
            [RuntimeTestSupport.event("trace-1", patient: "p-0")], to: input,
            headers: [KafkaHeader(name: TransitHeaders.traceparent, string: "00-\(traceID)-\(inputSpan)-01")])
        let record = try #require(try await RuntimeTestSupport.read(output) { !$0.isEmpty }.first)
        let traceparent = try #require(record.headers.string(TransitHeaders.traceparent))
        #expect(TraceContext.traceID(of: traceparent) == Substring(traceID), "the output stays in the input's trace")

        func span(_ name: String) -> RecordedSpan? { tracer.spans(named: name, inTrace: traceID).first }
        try await waitUntil("the four spans of the record", saw: { "\(tracer.finishedSpans.map(\.operationName))" }) {
            ["consume", "handle", "store", "publish"].allSatisfy { span($0) != nil }
        }
        let consume = try #require(span("consume"))
        let handle = try #require(span("handle"))
        let stored = try #require(span("store"))
        let publish = try #require(span("publish"))
        #expect(consume.parentSpanID == inputSpan && consume.kind == .consumer)
        #expect(handle.parentSpanID == consume.spanID)
        #expect(stored.parentSpanID == handle.spanID)
        #expect(publish.parentSpanID == stored.spanID && publish.kind == .producer)
        #expect(traceparent.split(separator: "-")[2] == Substring(publish.spanID), "the record carries its publish span")

        running.worker.stop()
        try await running.task.value
        try await running.producer.close()
    }
}
