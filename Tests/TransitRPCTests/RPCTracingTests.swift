import Testing
import Tracing
import TransitKafka
import TransitRPC
import TransitTestSupport
import TransitWire

/// RPC client and server spans over the local broker, and the trace of the reply.
@Suite("RPC: tracing", .timeLimit(.minutes(5)))
struct RPCTracingTests {
    @Test("a call continues its caller's trace: client span, server span, and a reply carrying the server span")
    func callAndReplyStayInTheCallersTrace() async throws {
        let tracer = RecordingTracer()
        let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
        let callerSpan = "00f067aa0ba902b7"
        try await withTracer(tracer) {
            try await RPCTestSupport.withHealthServer(serving: [], topics: RPCTestSupport.topics()) { _, client in
                let reply = try await client.send(
                    HealthService.check.path, service: HealthService.descriptor.name,
                    body: HealthCheckRequest(service: "").wireBytes(), key: nil, deadline: .seconds(30), idempotencyKey: nil,
                    traceparent: "00-\(traceID)-\(callerSpan)-01")
                #expect(reply.headers.string(TransitHeaders.rpcStatus) == "0")
                let replyTrace = try #require(reply.headers.string(TransitHeaders.traceparent))
                #expect(TraceContext.traceID(of: replyTrace) == Substring(traceID))

                let name = String(HealthService.check.path.dropFirst())
                try await waitUntil("client and server spans of the call", saw: { "\(tracer.finishedSpans.map(\.operationName))" }) {
                    !tracer.spans(named: name, inTrace: traceID).filter { $0.kind == .client }.isEmpty
                }
                let spans = tracer.spans(named: name, inTrace: traceID)
                let clientSpan = try #require(spans.first { $0.kind == .client })
                let serverSpan = try #require(spans.first { $0.kind == .server })
                #expect(clientSpan.parentSpanID == callerSpan)
                #expect(serverSpan.parentSpanID == clientSpan.spanID)
                #expect(replyTrace.split(separator: "-")[2] == Substring(serverSpan.spanID), "the reply carries the server span")
                #expect(serverSpan.attributes.get("rpc.method") == .string("Check"))
            }
        }
    }
}
