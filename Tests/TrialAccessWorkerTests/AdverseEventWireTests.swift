import Foundation
import Testing
import TransitTestSupport
import TransitWire
import TrialAccess

@testable import TrialAccessWorker

/// `AdverseEventReported` and a trial's `AdverseEventRules` on the wire and in the catalogue file.
@Suite("adverse events on the wire")
struct AdverseEventWireTests {
    static let now: Int64 = 1_767_312_000_000

    @Test("AdverseEventReported maps to the domain report; an unspecified reporter is refused")
    func eventMapping() throws {
        var event = EnrollmentEvent(
            eventId: "ae-1", occurredAt: Self.now, source: "matching-app", patientRef: "p-1",
            body: .adverseEventReported(
                AdverseEventReported(
                    trialId: "NCT-1", ctcaeTermCode: "10009887", grade: 3, onsetAt: Self.now - 3_600_000,
                    reporter: .patientApp)))
        let decoded = try EnrollmentEvent(jsonString: event.jsonString())
        #expect(decoded == event)
        let command = try decoded.command()
        #expect(
            command.body
                == .adverseEventReported(
                    AdverseEventReport(
                        trialID: "NCT-1", termCode: "10009887", grade: 3, onsetAt: Self.now - 3_600_000,
                        reporter: .patientApp)))
        event.body = .adverseEventReported(AdverseEventReported(trialId: "NCT-1", ctcaeTermCode: "10009887", grade: 2))
        #expect(throws: WireMappingError.self) { try event.command() }
    }

    @Test("the rules survive proto3 JSON into the catalogue; absent rules are the defaults")
    func catalogueRules() throws {
        var record = Fixture.catalogRecord(capacityA: 2, updatedAt: Self.now)
        let plain = try record.domain()
        #expect(plain.adverseEventRules == AdverseEventRules())
        #expect(plain.wire.adverseEventRules == nil)
        record.adverseEventRules = TransitWire.AdverseEventRules(
            safetyVisitWithinHours: 48, discontinuingTermCodes: ["10035742"], dosingVisitCodes: ["C2D1", "C3D1"])
        let json = TrialCatalogFile(trials: [record]).jsonString()
        #expect(json.contains("\"adverseEventRules\""))
        let catalog = try TrialCatalog.load(protoJSON: Array(json.utf8))
        let rules = try #require(catalog.trial(id: record.trialId)?.adverseEventRules)
        #expect(
            rules
                == AdverseEventRules(
                    safetyVisitWithinHours: 48, discontinuingTermCodes: ["10035742"], dosingVisitCodes: ["C2D1", "C3D1"]))
        #expect(try #require(catalog.trial(id: record.trialId)).wire == record)
        record.adverseEventRules?.discontinuingTermCodes = ["pneumonitis"]
        let bad = TrialCatalogFile(trials: [record]).jsonString()
        #expect(throws: CatalogError.self) { try TrialCatalog.load(protoJSON: Array(bad.utf8)) }
    }
}
