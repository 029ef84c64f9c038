import Foundation
import Testing
import TransitKafka
import TransitRPC
import TransitWire

/// `TrialAccess` RPCs through `RPCClient`, the local broker and the worker.
@Suite("trial-access worker: RPC", .serialized, .timeLimit(.minutes(5)))
struct RPCFlowTests {
    @Test("RequestTrialAccess returns the decision; GetEnrollment returns state, slot, visits and history")
    func requestTrialAccessAndGetEnrollment() async throws {
        try await withWorker("rpc-request") { topics, _ in
            try await withRPCClient(topics) { rpc in
                let patient = TestBroker.unique("pt")
                var request = RequestTrialAccessRequest()
                request.patientRef = patient
                request.referral = Fixture.referred(consents: [Fixture.consent(.contact)])
                let response = try await rpc.client.call(
                    TrialAccessService.requestTrialAccess, request, key: patient, deadline: .seconds(90),
                    idempotencyKey: request.referral?.referralId)
                let enrollment = try #require(response.enrollment)
                #expect(enrollment.patientRef == patient)
                #expect(enrollment.state == .eligible)
                #expect(enrollment.trialId == TestCatalog.trialID)
                #expect(enrollment.siteId == TestCatalog.siteA)
                #expect(!enrollment.slotId.isEmpty)
                #expect(enrollment.slotExpiresAt > Fixture.now)
                #expect(enrollment.siteDistanceKm > 0)
                #expect(enrollment.consents.map(\.scope) == [.contact])

                // The same call again (same idempotency key): the first answer, no second effect.
                let again = try await rpc.client.call(
                    TrialAccessService.requestTrialAccess, request, key: patient, deadline: .seconds(90),
                    idempotencyKey: request.referral?.referralId)
                #expect(again.enrollment == enrollment)

                // The call's events went out like an event's.
                let events = try await TestBroker.events(topics) { !$0.slotsReserved(for: patient).isEmpty }
                #expect(events.latestState(of: patient) == .eligible)
                #expect(events.slotsReserved(for: patient).count == 1)

                let visit = Fixture.visit("v-c1d1")
                try await TestBroker.publish([Fixture.visitScheduled(patient, visit)], topics: topics)
                _ = try await TestBroker.events(topics) { events in
                    events.contains { if case .visitPlanned? = $0.body { $0.patientRef == patient } else { false } }
                }
                var get = GetEnrollmentRequest()
                get.patientRef = patient
                get.trialId = TestCatalog.trialID
                let current = try #require(
                    try await rpc.client.call(
                        TrialAccessService.getEnrollment, get, key: patient, deadline: .seconds(90)
                    ).enrollment)
                #expect(current.state == .eligible)
                #expect(current.slotId == enrollment.slotId)
                #expect(current.visits.map(\.visitId) == [visit.visitId])
                #expect(current.visits.first?.protocolWindow == visit.protocolWindow)
                #expect(current.referralId == request.referral?.referralId)
                #expect(current.updatedAt >= enrollment.updatedAt)
                // The history: the referral's decision, caused by the RPC's idempotency key.
                #expect(current.history.map(\.previousState) == [.candidate])
                #expect(current.history.map(\.state) == [.eligible])
                #expect(current.history.first?.sourceEventId.contains(request.referral?.referralId ?? "?") == true)
                #expect(current.history.first?.occurredAt == enrollment.updatedAt)

                // The patient app's summary: the catalogue's text for the state, in the language
                // asked for; without one, the referral's ("nl", no text), then English.
                get.language = "es-ES"
                let spanish = try await rpc.client.call(TrialAccessService.getEnrollment, get, key: patient, deadline: .seconds(90))
                #expect(spanish.patientSummary?.language == "es")
                #expect(spanish.patientSummary?.summary == "Le hemos reservado una plaza en Site A (test).")
                #expect(spanish.patientSummary?.nextSteps == "El equipo de «Test trial (worker integration tests)» le llamará.")
                get.language = ""
                let fallback = try await rpc.client.call(TrialAccessService.getEnrollment, get, key: patient, deadline: .seconds(90))
                #expect(fallback.patientSummary?.language == "en")

                var unknown = GetEnrollmentRequest()
                unknown.patientRef = TestBroker.unique("nobody")
                do {
                    _ = try await rpc.client.call(TrialAccessService.getEnrollment, unknown, deadline: .seconds(90))
                    Issue.record("GetEnrollment of an unknown patient succeeded")
                } catch let error as RPCError {
                    #expect(error.code == .notFound)
                }
            }
        }
    }

    @Test(
        "RecordConsent PARTICIPATION starts screening; WithdrawPatient withdraws; a second withdrawal is FAILED_PRECONDITION"
    )
    func consentWithdrawalAndInvalidTransition() async throws {
        try await withWorker("rpc-transition") { topics, _ in
            try await withRPCClient(topics) { rpc in
                let patient = TestBroker.unique("pt")
                try await TestBroker.publish([Fixture.referral(patient)], topics: topics)
                _ = try await TestBroker.events(topics) { $0.latestState(of: patient) == .eligible }

                var consent = RecordConsentRequest()
                consent.patientRef = patient
                consent.consent = Fixture.consent(.participation, trialID: TestCatalog.trialID)
                let screening = try await rpc.client.call(
                    TrialAccessService.recordConsent, consent, key: patient, deadline: .seconds(90),
                    idempotencyKey: "consent-1")
                #expect(screening.enrollment?.state == .screening)
                #expect(screening.enrollment?.slotExpiresAt == 0)

                var withdraw = WithdrawPatientRequest()
                withdraw.patientRef = patient
                withdraw.trialId = TestCatalog.trialID
                withdraw.reason = .adverseEvent
                let withdrawn = try await rpc.client.call(
                    TrialAccessService.withdrawPatient, withdraw, key: patient, deadline: .seconds(90),
                    idempotencyKey: "withdraw-1")
                #expect(withdrawn.enrollment?.state == .withdrawn)
                #expect(withdrawn.enrollment?.withdrawalReason == .adverseEvent)
                #expect(withdrawn.enrollment?.slotId == "")

                do {
                    _ = try await rpc.client.call(
                        TrialAccessService.withdrawPatient, withdraw, key: patient, deadline: .seconds(90),
                        idempotencyKey: "withdraw-2")
                    Issue.record("a second withdrawal succeeded")
                } catch let error as RPCError {
                    #expect(error.code == .failedPrecondition)
                    #expect(error.message.contains("withdrawn"), "\(error.message)")
                    #expect(!error.message.contains(patient))
                }

                let events = try await TestBroker.events(topics) { $0.latestState(of: patient) == .withdrawn }
                #expect(events.statusChanges(of: patient).map(\.state) == [.eligible, .screening, .withdrawn])
                #expect(
                    events.contains {
                        if case .slotReleased(let released)? = $0.body {
                            released.reason == .patientWithdrawn
                        } else {
                            false
                        }
                    })
            }
        }
    }

    @Test("a request without a referral is INVALID_ARGUMENT")
    func malformedRequests() async throws {
        try await withWorker("rpc-malformed") { topics, _ in
            try await withRPCClient(topics) { rpc in
                var request = RequestTrialAccessRequest()
                request.patientRef = TestBroker.unique("pt")  // no referral
                do {
                    _ = try await rpc.client.call(
                        TrialAccessService.requestTrialAccess, request, key: request.patientRef, deadline: .seconds(90))
                    Issue.record("a request without referral succeeded")
                } catch let error as RPCError {
                    #expect(error.code == .invalidArgument)
                    #expect(error.message.contains("referral"))
                }
            }
        }
    }
}

/// Runs `body` with an RPC client reading its replies; stops it afterwards.
func withRPCClient(_ topics: TransitTopics, _ body: (RunningClient) async throws -> Void) async throws {
    let rpc = try RunningClient.start(topics: topics)
    do {
        try await body(rpc)
    } catch {
        await rpc.stop()
        throw error
    }
    await rpc.stop()
}
