import Testing
import TransitWire

@Suite("Bytes from protoc")
struct ProtocFixtureTests {
    @Test("a referral encoded by protoc decodes to the expected value, and Swift encodes the same bytes")
    func referral() throws {
        let expected = EnrollmentEvent(
            eventId: "5b1f8c2e-7d4a-4e0b-9c3f-1a2b3c4d5e6f", occurredAt: 1_767_312_000_000, source: "matching-app",
            patientRef: "p-7f3a9c",
            body: .patientReferred(
                PatientReferred(
                    referralId: "ref-2026-0042", trialId: "NCT01234567", conditionCode: "C34.1", stage: "IV", ageYears: 64, ecog: 0,
                    biomarkers: [
                        BiomarkerResult(code: "PDL1_TPS", value: 55, unit: "%", measuredAt: 1_767_225_600_000),
                        BiomarkerResult(code: "EGFR", value: 0, unit: "bool"),
                    ],
                    priorTherapies: ["PLATINUM_CHEMO", "ANTI_PD1"], homeLocation: GeoPoint(latitude: 52.37, longitude: 4.9),
                    maxTravelKm: 80, mobility: .wheelchair, companions: 1, language: "nl",
                    consents: [Consent(scope: .contact, version: "CONTACT-1.0", grantedAt: 1_767_312_000_000)],
                    referringOrganizationId: "org-hospital-17")))
        #expect(try EnrollmentEvent(wireBytes: ProtocFixtures.referral) == expected)
        #expect(expected.wireBytes() == ProtocFixtures.referral)
    }

    @Test("an audit record with a map encoded by protoc decodes; Swift's sorted encoding round-trips")
    func audit() throws {
        let expected = AuditRecord(
            auditId: "audit-1", occurredAt: 1_767_312_000_000, actor: "ops:jdoe", action: .replay,
            subject: "topic:enrollment.events.v1",
            details: ["replay-id": "r-42", "from": "1767300000000", "to": "1767312000000"],
            counts: AuditCounts(messagesRead: 10, messagesPublished: 9, messagesSkipped: 1))
        #expect(try AuditRecord(wireBytes: ProtocFixtures.audit) == expected)
        // Same entries as protoc wrote, sorted by key (`from`, `replay-id`, `to`).
        #expect(expected.wireBytes().count == ProtocFixtures.audit.count)
        #expect(try AuditRecord(wireBytes: expected.wireBytes()) == expected)
    }

    @Test("the CONTRACT.md examples encode to the documented bytes")
    func contractExamples() throws {
        #expect(HealthCheckRequest(service: "trialtransit.v1.TrialAccess").wireBytes() == ProtocFixtures.healthCheck)
        #expect(ProtocFixtures.healthCheck.count == 29)
        #expect(HealthCheckResponse(status: .serving).wireBytes() == [0x08, 0x01])

        let request = try RequestTrialAccessRequest(wireBytes: ProtocFixtures.requestTrialAccess)
        #expect(request.patientRef == "p-7f3a9c")
        #expect(request.referral?.ecog == 1)
        #expect(request.referral?.consents.map(\.scope) == [.contact, .transport])
        #expect(request.wireBytes() == ProtocFixtures.requestTrialAccess)
        #expect(ProtocFixtures.requestTrialAccess.count == 202)
    }
}
