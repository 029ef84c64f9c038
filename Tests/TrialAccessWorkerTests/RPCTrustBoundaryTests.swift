import Foundation
import Testing
import TransitKafka
import TransitTestSupport
import TransitRPC
import TransitStore
import TransitTestSupport
import TransitWire
import TransitTime

/// Issue #15, points 1 and 2, through the worker, the local broker and both stores: replies only
/// to reply topics; idempotency keys bound to their request and method, limited in length and
/// expiring.
@Suite("trial-access worker: RPC trust boundary", .serialized, .timeLimit(.minutes(5)))
struct RPCTrustBoundaryTests {
    @Test(
        "a GetEnrollment whose reply-to names a partner or event topic writes nothing there; it is audited and counted",
        arguments: StoreKind.allCases)
    func replyToOutsideTheReplyTopicsIsRefused(kind: StoreKind) async throws {
        try await withStoreWorker("reply-to", kind: kind) { topics, running, _ in
            let partnerTopic = topics.partnerRequests("metro-taxi")
            let admin = try KafkaAdmin(configuration: TestBroker.client, logger: TestBroker.quietLogger)
            try await admin.createTopics([KafkaTopicSpecification(name: partnerTopic, partitions: 1)])
            let patient = TestBroker.unique("pt")
            try await TestBroker.publish([Fixture.referral(patient)], topics: topics)
            _ = try await TestBroker.events(topics) { $0.latestState(of: patient) == .eligible }

            let get = GetEnrollmentRequest(patientRef: patient)
            let body = get.wireBytes()
            let strays = [partnerTopic, topics.trialAccessEvents]
            var requests: [KafkaProducerMessage] = []
            for (index, target) in strays.enumerated() {
                requests.append(
                    TestBroker.rawRequest(
                        service: TrialAccessService.name, method: TrialAccessService.getEnrollment.path, body: body,
                        key: patient, replyTo: target, correlationID: "stray-\(index)", topics: topics))
            }
            try await TestBroker.publish(requests)
            // A proper call with the same key comes after them on the same partition: once it is
            // answered, the stray requests were handled.
            try await withRPCClient(topics) { rpc in
                let answer = try await rpc.client.call(
                    TrialAccessService.getEnrollment, get, key: patient, deadline: .seconds(60))
                #expect(answer.enrollment?.patientRef == patient)
            }

            for target in strays {
                let written = try await SentinelReading.recordsBeforeSentinels(target)
                let replies = written.filter { $0.headers.string(TransitHeaders.correlationID) != nil }
                #expect(replies.isEmpty, "\(target) got \(replies.count) replies")
                if target == partnerTopic { #expect(written.isEmpty, "the partner topic got \(written.count) records") }
            }
            let refusals = try await TestBroker.auditRecords(topics) { records in
                records.filter { $0.action == .requestRefused }.count >= 2
            }.filter { $0.action == .requestRefused }
            #expect(refusals.count == 2)
            #expect(Set(refusals.compactMap { $0.details["reply-to"] }) == Set(strays))
            #expect(refusals.allSatisfy { $0.subject == "topic:" + topics.rpcRequests(service: TrialAccessService.name) })
            #expect(refusals.allSatisfy { $0.details["reason"] == ReplyRefusal.reasonCode })
            #expect(
                !refusals.contains { record in
                    record.subject.contains(patient) || record.details.values.contains { $0.contains(patient) }
                }, "no patient ref in the audit trail")
            #expect(running.worker.stats.refusedReplyTopics == 2)
            #expect(running.worker.stats.deadLettered == 0)
        }
    }

    @Test(
        "patient B reusing patient A's idempotency key gets INVALID_ARGUMENT, none of A's data, and is not enrolled",
        arguments: StoreKind.allCases)
    func aKeyReusedByAnotherPatientIsRefused(kind: StoreKind) async throws {
        try await withStoreWorker("key-reuse", kind: kind) { topics, _, _ in
            try await withRPCClient(topics) { rpc in
                let (patientA, patientB) = (TestBroker.unique("pt-a"), TestBroker.unique("pt-b"))
                let key = TestBroker.unique("shared-key")
                var requestA = RequestTrialAccessRequest()
                requestA.patientRef = patientA
                requestA.referral = Fixture.referred()
                let first = try await rpc.client.call(
                    TrialAccessService.requestTrialAccess, requestA, key: patientA, deadline: .seconds(60),
                    idempotencyKey: key)
                #expect(first.enrollment?.patientRef == patientA)

                var requestB = RequestTrialAccessRequest()
                requestB.patientRef = patientB
                requestB.referral = Fixture.referred()
                let reply = try await rpc.client.send(
                    TrialAccessService.requestTrialAccess.path, service: TrialAccessService.name,
                    body: requestB.wireBytes(), key: patientB, deadline: .seconds(60), idempotencyKey: key,
                    traceparent: nil)
                #expect(reply.headers.string(TransitHeaders.rpcStatus) == "3")
                #expect(reply.headers.string(TransitHeaders.rpcMessage) == RPCIdempotency.keyReused)
                #expect(reply.value.isEmpty)
                let bytes = Array(reply.value) + reply.headers.compactMap(\.value).joined()
                #expect(!String(decoding: bytes, as: UTF8.self).contains(patientA), "none of A's data")

                // B was not enrolled; A's retry still gets A's first answer.
                var getB = GetEnrollmentRequest()
                getB.patientRef = patientB
                let missing = await #expect(throws: RPCError.self) {
                    try await rpc.client.call(TrialAccessService.getEnrollment, getB, key: patientB, deadline: .seconds(60))
                }
                #expect(missing?.code == .notFound)
                let retry = try await rpc.client.call(
                    TrialAccessService.requestTrialAccess, requestA, key: patientA, deadline: .seconds(60),
                    idempotencyKey: key)
                #expect(retry == first)
                let events = try await TestBroker.events(topics) { $0.latestState(of: patientA) != nil }
                #expect(events.statusChanges(of: patientB).isEmpty)
            }
        }
    }

    @Test("an idempotency key of 129 characters is INVALID_ARGUMENT and enrolls nobody", arguments: StoreKind.allCases)
    func aKeyOver128CharactersIsRefused(kind: StoreKind) async throws {
        try await withStoreWorker("long-key", kind: kind) { topics, _, _ in
            try await withRPCClient(topics) { rpc in
                let patient = TestBroker.unique("pt")
                var request = RequestTrialAccessRequest()
                request.patientRef = patient
                request.referral = Fixture.referred()
                let refused = await #expect(throws: RPCError.self) {
                    try await rpc.client.call(
                        TrialAccessService.requestTrialAccess, request, key: patient, deadline: .seconds(60),
                        idempotencyKey: String(repeating: "k", count: 129))
                }
                #expect(refused?.code == .invalidArgument)
                #expect(refused?.message == RPCIdempotency.keyTooLong)
                let accepted = try await rpc.client.call(
                    TrialAccessService.requestTrialAccess, request, key: patient, deadline: .seconds(60),
                    idempotencyKey: String(repeating: "k", count: 128))
                #expect(accepted.enrollment?.patientRef == patient, "128 characters are fine, and nothing ran before")
            }
        }
    }

    @Test("a stored answer is pruned once its retention is over (time injected)", arguments: StoreKind.allCases)
    func anExpiredAnswerIsPruned(kind: StoreKind) async throws {
        try await withStoreWorker("expiry", kind: kind) { topics, running, store in
            try await withRPCClient(topics) { rpc in
                let patient = TestBroker.unique("pt")
                let key = TestBroker.unique("key")
                var request = RequestTrialAccessRequest()
                request.patientRef = patient
                request.referral = Fixture.referred()
                let before = SystemWallClock().nowMilliseconds()
                _ = try await rpc.client.call(
                    TrialAccessService.requestTrialAccess, request, key: patient, deadline: .seconds(60),
                    idempotencyKey: key)
                let row = TrialAccessService.requestTrialAccess.path + "|" + key
                func stored() async throws -> Bool {
                    try await store.transaction { try $0.state(namespace: "rpc-idempotency", key: row) } != nil
                }
                #expect(try await stored())

                let hour: Int64 = 3_600_000
                #expect(try await running.worker.pruneIdempotencyAnswers(now: before + 23 * hour) == 0)
                #expect(try await stored(), "kept within the 24 h retention")
                #expect(try await running.worker.pruneIdempotencyAnswers(now: SystemWallClock().nowMilliseconds() + 24 * hour + 1) >= 1)
                #expect(try await !stored(), "deleted after it")
                #expect(running.worker.stats.idempotencyAnswersPruned >= 1)
            }
        }
    }
}

/// ``withWorker(_:capacityA:capacityB:adverseEventRules:kind:config:logger:clock:_:)`` that also hands the body the store.
private func withStoreWorker(
    _ name: String, kind: StoreKind, _ body: (TransitTopics, RunningWorker, any TransitStore) async throws -> Void
) async throws {
    let topics = try await TestBroker.makeTopics(name)
    let catalogPath = try TestCatalog.write(capacityA: 4, capacityB: 0)
    defer { try? FileManager.default.removeItem(atPath: catalogPath) }
    let database = try await TestDatabase.make(kind)
    defer { database.destroy() }
    let store = try await database.open()
    let running = try await RunningWorker.start(
        store: store, topics: topics, catalogPath: catalogPath, group: TestBroker.unique("taw-group"))
    try await withCleanup { try await body(topics, running, store) } cleanup: {
        await running.stop()
        try await store.close()
    }
}
