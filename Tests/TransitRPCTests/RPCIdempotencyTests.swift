import TransitKafka
import TransitRPC
import TransitWire
import Testing

/// Idempotency keys scoped by method and bound to the request's digest, without a broker.
@Suite("RPC idempotency")
struct RPCIdempotencyTests {
    /// Two idempotent methods; each call answers with the patient ref and its correlation id.
    private func router(calls: CallCounter) -> RPCRouter<Void> {
        var router = RPCRouter<Void>()
        router.register(TrialAccessService.withdrawPatient, idempotent: true) { request, context in
            calls.increment()
            var response = WithdrawPatientResponse()
            response.enrollment = Enrollment(patientRef: request.patientRef + "#" + context.correlationID)
            return response
        }
        router.register(TrialAccessService.recordConsent, idempotent: true) { request, context in
            calls.increment()
            var response = RecordConsentResponse()
            response.enrollment = Enrollment(patientRef: request.patientRef + "#" + context.correlationID)
            return response
        }
        return router
    }

    private func withdraw(_ patient: String) -> [UInt8] {
        var request = WithdrawPatientRequest()
        request.patientRef = patient
        return request.wireBytes()
    }

    private func route(
        _ router: RPCRouter<Void>, _ path: String, _ body: [UInt8], key: String, correlation: String,
        cache: inout InMemoryIdempotencyCache
    ) throws -> RPCReply {
        let message = RPCTestSupport.request(method: path, body: body, idempotencyKey: key, correlationID: correlation)
        return try #require(router.route(try RPCRequest(message: message), now: 0, idempotency: &cache).reply)
    }

    @Test func aKeyReusedForAnotherRequestIsInvalidArgumentWithoutRunningOrRevealingTheFirstAnswer() throws {
        let calls = CallCounter()
        let router = router(calls: calls)
        var cache = InMemoryIdempotencyCache()
        let path = TrialAccessService.withdrawPatient.path
        let first = try route(router, path, withdraw("patient-a"), key: "k-1", correlation: "c-1", cache: &cache)
        #expect(first.status == .ok)

        let other = try route(router, path, withdraw("patient-b"), key: "k-1", correlation: "c-2", cache: &cache)
        #expect(other.status == .invalidArgument)
        #expect(other.message == RPCIdempotency.keyReused)
        #expect(other.body.isEmpty)
        #expect(!String(decoding: Array(other.headers.compactMap(\.value).joined()), as: UTF8.self).contains("patient-a"))
        #expect(calls.count == 1, "nothing ran for the second request")

        // The first request's retry still gets the first answer.
        let retry = try route(router, path, withdraw("patient-a"), key: "k-1", correlation: "c-3", cache: &cache)
        #expect(retry.status == .ok)
        #expect(retry.body == first.body)
        #expect(calls.count == 1)
    }

    @Test func keysAreScopedByMethod() throws {
        let calls = CallCounter()
        let router = router(calls: calls)
        var cache = InMemoryIdempotencyCache()
        var consent = RecordConsentRequest()
        consent.patientRef = "patient-a"
        _ = try route(
            router, TrialAccessService.withdrawPatient.path, withdraw("patient-a"), key: "k", correlation: "c-1",
            cache: &cache)
        let second = try route(
            router, TrialAccessService.recordConsent.path, consent.wireBytes(), key: "k", correlation: "c-2", cache: &cache)
        #expect(second.status == .ok)
        #expect(calls.count == 2)
    }

    @Test func keysLongerThan128CharactersAreInvalidArgument() throws {
        let calls = CallCounter()
        let router = router(calls: calls)
        var cache = InMemoryIdempotencyCache()
        let path = TrialAccessService.withdrawPatient.path
        let longest = try route(
            router, path, withdraw("p"), key: String(repeating: "k", count: 128), correlation: "c-1", cache: &cache)
        #expect(longest.status == .ok)
        let tooLong = try route(
            router, path, withdraw("p"), key: String(repeating: "k", count: 129), correlation: "c-2", cache: &cache)
        #expect(tooLong.status == .invalidArgument)
        #expect(tooLong.message == RPCIdempotency.keyTooLong)
        #expect(calls.count == 1)
    }

    @Test func anAnswerStoredWithoutADigestMatchesNoRequest() throws {
        let calls = CallCounter()
        let router = router(calls: calls)
        var cache = InMemoryIdempotencyCache()
        let path = TrialAccessService.withdrawPatient.path
        cache.remember(method: path, key: "old", answer: RPCStoredAnswer(status: 0, message: nil, body: [1, 2, 3]))
        let reply = try route(router, path, withdraw("p"), key: "old", correlation: "c-1", cache: &cache)
        #expect(reply.status == .invalidArgument)
        #expect(reply.body.isEmpty)
        #expect(calls.count == 0)
    }

    @Test func theDigestIsSHA256OfTheRequestBytes() {
        let hex = RPCIdempotency.digest(of: Array("abc".utf8)).map { String($0, radix: 16) }
            .map { $0.count == 1 ? "0" + $0 : $0 }.joined()
        #expect(hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(RPCIdempotency.digest(of: [UInt8]()).count == 32)
    }
}
