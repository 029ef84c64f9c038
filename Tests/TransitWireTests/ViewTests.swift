import Testing
import TransitWire

@Suite("Lazy views")
struct ViewTests {
    @Test("every view accessor of a referral equals the materialized value")
    func referralAccessors() throws {
        let event = Samples.enrollment(.patientReferred(Samples.referral))
        let view = try EnrollmentEvent.decodeView(event.wireBytes())
        #expect(view.eventId == event.eventId)
        #expect(view.occurredAt == event.occurredAt)
        #expect(view.source == event.source)
        #expect(view.patientRef == event.patientRef)
        guard case .patientReferred(let r)? = view.body else {
            Issue.record("body is not patientReferred")
            return
        }
        let value = Samples.referral
        #expect(r.referralId == value.referralId)
        #expect(r.trialId == value.trialId)
        #expect(r.conditionCode == value.conditionCode)
        #expect(r.conditionSystem == value.conditionSystem)
        #expect(r.stage == value.stage)
        #expect(r.ageYears == value.ageYears)
        #expect(r.ecog == value.ecog)
        #expect(r.biomarkers.count == value.biomarkers.count)
        for (b, expected) in zip(r.biomarkers, value.biomarkers) {
            #expect(b.code == expected.code)
            #expect(b.value == expected.value)
            #expect(b.unit == expected.unit)
            #expect(b.measuredAt == expected.measuredAt)
        }
        #expect(r.biomarkers.materialize() == value.biomarkers)
        #expect(Array(r.priorTherapies) == value.priorTherapies)
        #expect(r.homeLocation?.latitude == value.homeLocation?.latitude)
        #expect(r.homeLocation?.longitude == value.homeLocation?.longitude)
        #expect(r.maxTravelKm == value.maxTravelKm)
        #expect(r.mobility == value.mobility)
        #expect(r.companions == value.companions)
        #expect(r.language == value.language)
        #expect(r.consents.map { $0.materialize() } == value.consents)
        #expect(r.consents.last?.scope == .transport)
        #expect(r.referringOrganizationId == value.referringOrganizationId)
        #expect(r.materialize() == value)
    }

    @Test("a nested view keeps the decoded message alive after the root view is gone")
    func nestedViewOwnsMemory() throws {
        let bytes = Samples.enrollment(.patientReferred(Samples.referral)).wireBytes()
        let biomarkers: WireViewList<BiomarkerResult.View>? = try {
            guard case .patientReferred(let r)? = try EnrollmentEvent.decodeView(bytes).body else { return nil }
            return r.biomarkers
        }()
        #expect(biomarkers?.map(\.code) == ["PDL1_TPS", "EGFR"])
    }

    @Test("views of absent fields: nil sub-messages, empty lists, default scalars")
    func absentFields() throws {
        let view = try PatientReferred.decodeView([UInt8]())
        #expect(view.homeLocation == nil)
        #expect(view.biomarkers.isEmpty)
        #expect(view.priorTherapies.isEmpty)
        #expect(view.ecog == nil)
        #expect(view.referralId == "")
        #expect(view.mobility == .unspecified)
    }

    @Test("map fields read through views")
    func mapView() throws {
        let view = try AuditRecord.decodeView(Samples.audit.wireBytes())
        #expect(view.details == Samples.audit.details)
        #expect(view.counts?.messagesRead == 10)
        #expect(view.action == .replay)
    }

    @Test("views are Sendable and readable from other tasks")
    func viewsCrossTasks() async throws {
        let view = try EnrollmentEvent.decodeView(Samples.enrollment(.patientReferred(Samples.referral)).wireBytes())
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { view.eventId } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(ids) == [view.eventId])
    }
}
