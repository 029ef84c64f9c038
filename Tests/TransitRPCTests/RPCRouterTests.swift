import Synchronization
import TransitKafka
import TransitRPC
import TransitWire
import Testing

/// Dispatch rules of the server side, without a broker.
@Suite("RPC router")
struct RPCRouterTests {
    private func router(calls: CallCounter, outcome: @escaping @Sendable (GetEnrollmentRequest) throws -> GetEnrollmentResponse) -> RPCRouter<Void> {
        var router = RPCRouter<Void>()
        router.register(TrialAccessService.getEnrollment) { request, _ in
            calls.increment()
            return try outcome(request)
        }
        router.register(TrialAccessService.withdrawPatient, idempotent: true) { request, context in
            calls.increment()
            var response = WithdrawPatientResponse()
            response.enrollment = Enrollment(patientRef: request.patientRef + "#" + context.correlationID)
            return response
        }
        return router
    }

    @Test func okReplyCarriesResponseAndEchoesCorrelation() throws {
        let calls = CallCounter()
        let router = router(calls: calls) { request in
            var response = GetEnrollmentResponse()
            response.enrollment = Enrollment(patientRef: request.patientRef)
            return response
        }
        var request = GetEnrollmentRequest()
        request.patientRef = "p-42"
        var cache = InMemoryIdempotencyCache()
        let (reply, failure) = router.route(
            try RPCRequest(message: RPCTestSupport.request(method: TrialAccessService.getEnrollment.path, body: request.wireBytes())),
            now: 1_000, idempotency: &cache)
        let answer = try #require(reply)
        #expect(failure == nil)
        #expect(answer.status == .ok)
        #expect(answer.correlationID == "c-1")
        #expect(answer.replyTo == "replies")
        #expect(try GetEnrollmentResponse(wireBytes: answer.body).enrollment?.patientRef == "p-42")
        // The reply's traceparent is the server's to add, from its span (RPCTracingTests).
        #expect(answer.headers.string(TransitHeaders.traceparent) == nil)
        #expect(answer.headers.string(TransitHeaders.rpcStatus) == "0")
        #expect(answer.producerMessage.key == Array("c-1".utf8))
    }

    @Test func expiredDeadlineRepliesDeadlineExceededWithoutRunningTheHandler() throws {
        let calls = CallCounter()
        let router = router(calls: calls) { _ in GetEnrollmentResponse() }
        var cache = InMemoryIdempotencyCache()
        let (reply, _) = router.route(
            try RPCRequest(message: RPCTestSupport.request(method: TrialAccessService.getEnrollment.path, deadline: 5_000)),
            now: 5_001, idempotency: &cache)
        #expect(reply?.status == .deadlineExceeded)
        #expect(reply?.body.isEmpty == true)
        #expect(calls.count == 0)
    }

    @Test func unknownMethodIsUnimplemented() throws {
        let router = router(calls: CallCounter()) { _ in GetEnrollmentResponse() }
        var cache = InMemoryIdempotencyCache()
        let (reply, _) = router.route(
            try RPCRequest(message: RPCTestSupport.request(method: "/trialtransit.v1.TrialAccess/Teleport")), now: 0,
            idempotency: &cache)
        #expect(reply?.status == .unimplemented)
        #expect(reply?.headers.string(TransitHeaders.rpcMessage)?.contains("Teleport") == true)
    }

    @Test(arguments: [
        (RPCError.notFound("no enrollment"), RPCStatusCode.notFound),
        (RPCError.invalidArgument("patient_ref is empty"), RPCStatusCode.invalidArgument),
        (RPCError.failedPrecondition("withdrawn"), RPCStatusCode.failedPrecondition),
        (RPCError.resourceExhausted("quota"), RPCStatusCode.resourceExhausted),
        (RPCError.alreadyExists("booked"), RPCStatusCode.alreadyExists),
    ])
    func handlerErrorsMapToTheirStatus(error: RPCError, status: RPCStatusCode) throws {
        let router = router(calls: CallCounter()) { _ in throw error }
        var cache = InMemoryIdempotencyCache()
        let (reply, failure) = router.route(
            try RPCRequest(message: RPCTestSupport.request(method: TrialAccessService.getEnrollment.path)), now: 0,
            idempotency: &cache)
        #expect(reply?.status == status)
        #expect(reply?.message == error.message)
        #expect(failure == nil)
    }

    @Test func unexpectedErrorIsInternalAndReported() throws {
        struct Boom: Error {}
        let router = router(calls: CallCounter()) { _ in throw Boom() }
        var cache = InMemoryIdempotencyCache()
        let (reply, failure) = router.route(
            try RPCRequest(message: RPCTestSupport.request(method: TrialAccessService.getEnrollment.path)), now: 0,
            idempotency: &cache)
        #expect(reply?.status == .internalError)
        #expect(failure == "Boom")
    }

    @Test func undecodableBodyIsInvalidArgument() throws {
        let router = router(calls: CallCounter()) { _ in GetEnrollmentResponse() }
        var cache = InMemoryIdempotencyCache()
        let (reply, _) = router.route(
            try RPCRequest(message: RPCTestSupport.request(method: TrialAccessService.getEnrollment.path, body: [0xFF, 0xFF, 0xFF])),
            now: 0, idempotency: &cache)
        #expect(reply?.status == .invalidArgument)
    }

    @Test func sameIdempotencyKeyGetsTheFirstAnswerWithoutASecondEffect() throws {
        let calls = CallCounter()
        let router = router(calls: calls) { _ in GetEnrollmentResponse() }
        var request = WithdrawPatientRequest()
        request.patientRef = "p-9"
        var cache = InMemoryIdempotencyCache()
        let path = TrialAccessService.withdrawPatient.path
        let first = router.route(
            try RPCRequest(message: RPCTestSupport.request(method: path, body: request.wireBytes(), idempotencyKey: "k-1", correlationID: "c-1")),
            now: 0, idempotency: &cache)
        let retry = router.route(
            try RPCRequest(message: RPCTestSupport.request(method: path, body: request.wireBytes(), idempotencyKey: "k-1", correlationID: "c-2")),
            now: 0, idempotency: &cache)
        let other = router.route(
            try RPCRequest(message: RPCTestSupport.request(method: path, body: request.wireBytes(), idempotencyKey: "k-2", correlationID: "c-3")),
            now: 0, idempotency: &cache)
        #expect(calls.count == 2)
        #expect(retry.reply?.body == first.reply?.body)
        #expect(retry.reply?.correlationID == "c-2")
        #expect(try WithdrawPatientResponse(wireBytes: first.reply!.body).enrollment?.patientRef == "p-9#c-1")
        #expect(other.reply?.body != first.reply?.body)
    }

    @Test func requestWithoutReplyToCannotBeAnswered() {
        #expect(throws: RPCRequest.Unanswerable.self) {
            try RPCRequest(message: RPCTestSupport.request(method: "/x/y", replyTo: nil))
        }
    }
}

/// Counts handler calls across the router's escaping closures.
final class CallCounter: Sendable {
    private let value = Mutex(0)
    func increment() { value.withLock { $0 += 1 } }
    var count: Int { value.withLock { $0 } }
}
