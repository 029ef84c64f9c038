import Testing
import TransitKafka
import TransitRPC
import TransitWire

/// The request's trace on everything an RPC call causes in the worker, and in its log lines.
@Suite("trial-access worker: trace context", .serialized, .timeLimit(.minutes(5)))
struct TraceContextTests {
    @Test("a call's reply and the events it emits carry the request's trace id; the worker's log lines for it name it")
    func replyEventsAndLogsKeepTheRequestsTrace() async throws {
        let capture = LogCapture()
        let logger = capture.logger(label: "trace-test", metadataProvider: TracePropagation.loggingMetadata)
        try await withWorker("rpc-trace", logger: logger) { topics, _ in
            try await withRPCClient(topics) { rpc in
                let patient = TestBroker.unique("pt")
                var request = RequestTrialAccessRequest()
                request.patientRef = patient
                request.referral = Fixture.referred(consents: [Fixture.consent(.contact)])
                let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
                let reply = try await rpc.client.send(
                    TrialAccessService.requestTrialAccess.path, service: TrialAccessService.descriptor.name,
                    body: request.wireBytes(), key: patient, deadline: .seconds(90), idempotencyKey: request.referral?.referralId,
                    traceparent: "00-\(traceID)-00f067aa0ba902b7-01")
                #expect(reply.headers.string(TransitHeaders.rpcStatus) == "0")
                let replyTrace = reply.headers.string(TransitHeaders.traceparent)
                #expect(replyTrace.flatMap { TraceContext.traceID(of: $0) } == Substring(traceID), "reply: \(replyTrace ?? "none")")

                // The events the call emitted (RPCCall.emit) went out in the same trace.
                let messages = try await TestBroker.read(topics.trialAccessEvents) { messages in
                    messages.contains { $0.keyString == patient }
                }
                let emitted = messages.filter { $0.keyString == patient }
                let traces = emitted.map { $0.headers.string(TransitHeaders.traceparent).flatMap { TraceContext.traceID(of: $0) } }
                #expect(!traces.isEmpty && traces.allSatisfy { $0 == Substring(traceID) }, "events: \(traces)")

                // What the handler logged while handling the call carries the trace id.
                let lines = capture.all.filter { $0.contains("call handled") }
                #expect(!lines.isEmpty && lines.allSatisfy { $0.contains("trace_id=\(traceID)") }, "\(lines)")
            }
        }
    }
}
