import Testing
import TransitRPC
import TransitTestSupport
import TransitWire

/// Every status `TrialAccess`'s proto comments promise, method by method, against a real worker
/// (real broker, real SQLite store): each documented code is produced by a request that should get it.
@Suite("trial-access worker: status codes", .serialized, .timeLimit(.minutes(5)))
struct StatusCodeTests {
    @Test func everyMethodAnswersTheCodesItsProtoCommentPromises() async throws {
        try await withWorker("rpc-status") { topics, _ async throws in
            try await withRPCClient(topics) { (rpc: RunningClient) async throws in
                let client = rpc.client
                let patient = TestBroker.unique("pt")
                let nobody = TestBroker.unique("nobody")
                func request(_ patientRef: String, _ referral: PatientReferred?) async throws -> RPCStatusCode {
                    var request = RequestTrialAccessRequest()
                    request.patientRef = patientRef
                    request.referral = referral
                    return try await rpcStatus {
                        try await client.call(
                            TrialAccessService.requestTrialAccess, request, key: patientRef, deadline: .seconds(60))
                    }
                }
                func get(_ patientRef: String, trial: String = "") async throws -> RPCStatusCode {
                    try await rpcStatus {
                        try await client.call(
                            TrialAccessService.getEnrollment, GetEnrollmentRequest(patientRef: patientRef, trialId: trial),
                            key: patientRef, deadline: .seconds(60))
                    }
                }
                func consent(_ patientRef: String, _ consent: Consent?) async throws -> RPCStatusCode {
                    var request = RecordConsentRequest()
                    request.patientRef = patientRef
                    request.consent = consent
                    return try await rpcStatus {
                        try await client.call(
                            TrialAccessService.recordConsent, request, key: patientRef, deadline: .seconds(60))
                    }
                }
                func withdraw(_ patientRef: String, trial: String) async throws -> RPCStatusCode {
                    try await rpcStatus {
                        try await client.call(
                            TrialAccessService.withdrawPatient,
                            WithdrawPatientRequest(patientRef: patientRef, trialId: trial, reason: .adverseEvent),
                            key: patientRef, deadline: .seconds(60))
                    }
                }

                // RequestTrialAccess: INVALID_ARGUMENT, NOT_FOUND, OK, ALREADY_EXISTS (an open referral
                // while the patient is in progress in a trial), FAILED_PRECONDITION (below).
                #expect(try await request(patient, nil) == .invalidArgument)
                #expect(try await request("", Fixture.referred()) == .invalidArgument)
                #expect(try await request(patient, Fixture.referred(ecog: 9)) == .invalidArgument)
                #expect(try await request(patient, Fixture.referred(trialID: "NCT-UNKNOWN")) == .notFound)
                #expect(try await request(patient, Fixture.referred()) == .ok)
                #expect(try await request(patient, Fixture.referred(trialID: "")) == .alreadyExists)

                // GetEnrollment: INVALID_ARGUMENT, NOT_FOUND (unknown patient, or no enrollment in the trial), OK.
                #expect(try await get("") == .invalidArgument)
                #expect(try await get(nobody) == .notFound)
                #expect(try await get(patient, trial: "NCT-UNKNOWN") == .notFound)
                #expect(try await get(patient, trial: TestCatalog.trialID) == .ok)

                // RecordConsent: INVALID_ARGUMENT, NOT_FOUND, OK, FAILED_PRECONDITION (below).
                #expect(try await consent(patient, nil) == .invalidArgument)
                #expect(try await consent(nobody, Fixture.consent(.contact)) == .notFound)
                #expect(try await consent(patient, Fixture.consent(.contact, trialID: "NCT-UNKNOWN")) == .notFound)
                #expect(try await consent(patient, Fixture.consent(.transport, trialID: TestCatalog.trialID)) == .ok)

                // WithdrawPatient: INVALID_ARGUMENT, NOT_FOUND, OK, FAILED_PRECONDITION.
                #expect(try await withdraw(patient, trial: "") == .invalidArgument)
                #expect(try await withdraw(patient, trial: "NCT-UNKNOWN") == .notFound)
                #expect(try await withdraw(nobody, trial: TestCatalog.trialID) == .notFound)
                #expect(try await withdraw(patient, trial: TestCatalog.trialID) == .ok)
                #expect(try await withdraw(patient, trial: TestCatalog.trialID) == .failedPrecondition)

                // The withdrawn enrollment forbids what follows: FAILED_PRECONDITION.
                #expect(try await request(patient, Fixture.referred()) == .failedPrecondition)
                #expect(
                    try await consent(patient, Fixture.consent(.contact, trialID: TestCatalog.trialID))
                        == .failedPrecondition)
                #expect(try await get(patient, trial: TestCatalog.trialID) == .ok)
            }
        }
    }
}
