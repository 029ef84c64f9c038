import Foundation
import Testing
import TrialAccess

@Suite("Catalogue")
struct CatalogTests {
    static let sampleURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("samples/catalog.json")

    static func sample() throws -> TrialCatalog { try TrialCatalog.load(json: Data(contentsOf: sampleURL)) }

    static func catalogError(_ json: String) -> CatalogError? {
        do {
            _ = try TrialCatalog.load(json: Data(json.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test("the sample catalogue loads and fits its purpose: small capacities, one trial closed")
    func sampleCatalogue() throws {
        let catalog = try Self.sample()
        #expect((4...6).contains(catalog.trials.count))
        #expect(catalog.trials.contains { $0.recruitingStatus == .closedToAccrual })
        for trial in catalog.trials {
            #expect((2...4).contains(trial.sites.count), "\(trial.trialID)")
            #expect(trial.sites.allSatisfy { (2...5).contains($0.screeningCapacity) }, "\(trial.trialID)")
            #expect(TrialCatalog.validate(trial).isEmpty)
        }
    }

    @Test("a first-line NSCLC referral from Amsterdam lands at the nearest sample site")
    func sampleMatch() throws {
        let catalog = try Self.sample()
        var ledger = InMemorySlotLedger(catalog: catalog)
        var referral = Fixture.referral(
            trialID: "NCT09900101", home: GeoPoint(latitude: 52.37, longitude: 4.90), maxTravelKm: 80)
        referral.biomarkers += [
            BiomarkerResult(code: "EGFR", value: 0, unit: "bool"), BiomarkerResult(code: "ALK", value: 0, unit: "bool"),
        ]
        let command = TrialAccessCommand(eventID: "e1", patientRef: "p1", body: .patientReferred(referral))
        let decision = try TrialAccessDecider().decide(
            command, enrollments: [], catalog: catalog, ledger: &ledger, now: Fixture.t0
        ).get()
        #expect(decision.reply?.state == .eligible)
        #expect(decision.reply?.siteID == "nl-ams-01")
        var open = referral
        open.trialID = nil
        let openCommand = TrialAccessCommand(eventID: "e2", patientRef: "p2", body: .patientReferred(open))
        let openDecision = try TrialAccessDecider().decide(
            openCommand, enrollments: [], catalog: catalog, ledger: &ledger, now: Fixture.t0
        ).get()
        #expect(openDecision.reply?.trialID == "NCT09900101")
        #expect(!openDecision.evaluations.contains { $0.trialID == "NCT09900104" })
    }

    @Test("writing and loading again gives the same catalogue")
    func roundTrip() throws {
        let catalog = try Self.sample()
        #expect(try TrialCatalog.load(json: catalog.jsonData()) == catalog)
    }

    @Test("proto3 JSON conventions: absent defaults, int64 as string, age 0 = no bound, ECOG 0 kept")
    func protoJSONDefaults() throws {
        let json = """
            {"trials": [{"trialId": "NCT1", "title": "T", "recruitingStatus": "RECRUITING_STATUS_RECRUITING",
              "updatedAt": "1767225600000",
              "criteria": {"minAgeYears": 0, "maxEcog": 0,
                "requiredBiomarkers": [{"code": "EGFR", "comparison": "COMPARISON_EQUAL", "unit": "bool"}]},
              "sites": [{"siteId": "S", "location": {"point": {"latitude": 52.1}}}]}]}
            """
        let trial = try #require(try TrialCatalog.load(json: Data(json.utf8)).trial(id: "NCT1"))
        #expect(trial.updatedAt == 1_767_225_600_000)
        #expect(trial.phase == nil)
        #expect(trial.criteria.minAgeYears == nil)
        #expect(trial.criteria.maxECOG == 0)
        #expect(trial.criteria.requiredBiomarkers.first?.threshold == 0)
        #expect(trial.sites.first?.location.point == GeoPoint(latitude: 52.1, longitude: 0))
        #expect(trial.sites.first?.recruiting == false)
        #expect(trial.sites.first?.screeningCapacity == 0)
    }

    @Test("malformed JSON names the path and what was expected")
    func malformed() {
        let badEnum = """
            {"trials": [{"trialId": "NCT1", "title": "T", "phase": "PHASE_3",
                         "recruitingStatus": "RECRUITING_STATUS_RECRUITING"}]}
            """
        guard case .malformedJSON(let detail) = Self.catalogError(badEnum) else {
            Issue.record("expected malformedJSON")
            return
        }
        #expect(detail.contains("trials[0].phase"))
        #expect(detail.contains("TRIAL_PHASE_3"))
        let missing = #"{"trials": [{"trialId": "NCT1", "title": "T"}]}"#
        guard case .malformedJSON(let missingDetail) = Self.catalogError(missing) else {
            Issue.record("expected malformedJSON")
            return
        }
        #expect(missingDetail.contains("trials[0].recruitingStatus: missing"))
        guard case .malformedJSON = Self.catalogError("not json") else {
            Issue.record("expected malformedJSON")
            return
        }
    }

    @Test("validation lists every broken rule with trial and field")
    func validation() {
        let json = """
            {"trials": [
              {"trialId": "NCT1", "title": " ", "recruitingStatus": "RECRUITING_STATUS_RECRUITING",
               "criteria": {"conditionCodes": ["c34"], "minAgeYears": 70, "maxAgeYears": 18, "maxEcog": 6,
                 "requiredBiomarkers": [
                   {"code": "PDL1_TPS", "comparison": "COMPARISON_GREATER", "threshold": 1, "unit": ""}]},
               "sites": [
                 {"siteId": "S", "location": {"point": {"latitude": 91, "longitude": 4}}, "screeningCapacity": 2},
                 {"siteId": "S", "location": {"point": {"latitude": 50, "longitude": 4}}, "screeningCapacity": -1}]},
              {"trialId": "NCT1", "title": "Again", "recruitingStatus": "RECRUITING_STATUS_CLOSED_TO_ACCRUAL"}
            ]}
            """
        guard case .invalid(let issues) = Self.catalogError(json) else {
            Issue.record("expected invalid")
            return
        }
        let fields = Set(issues.map(\.field))
        #expect(
            fields.isSuperset(of: [
                "title", "criteria.conditionCodes[0]", "criteria.minAgeYears", "criteria.maxEcog",
                "criteria.requiredBiomarkers[0].unit", "sites[0].location.point", "sites[1].siteId",
                "sites[1].screeningCapacity",
                "trialId",
            ]))
        #expect(issues.allSatisfy { $0.trialID == "NCT1" })
        #expect(CatalogError.invalid(issues).description.contains("NCT1: sites[1].siteId"))
    }

    @Test("upsert inserts, replaces with newer or equal, ignores older, refuses invalid; remove deletes")
    func liveUpdates() throws {
        var catalog = TrialCatalog()
        let site = Fixture.site("A", Place.amsterdam, capacity: 2)
        let v1 = Fixture.trial("NCT1", sites: [site], updatedAt: 100)
        let inserted = try catalog.upsert(v1)
        #expect(inserted == .inserted)
        var v2 = v1
        v2.title = "Renamed"
        v2.updatedAt = 200
        let replaced = try catalog.upsert(v2)
        #expect(replaced == .replaced)
        let stale = try catalog.upsert(v1)
        #expect(stale == .ignoredStale)
        #expect(catalog.trial(id: "NCT1")?.title == "Renamed")
        let replacedAgain = try catalog.upsert(v2)
        #expect(replacedAgain == .replaced)
        var broken = v2
        broken.updatedAt = 300
        broken.title = ""
        #expect(throws: CatalogError.self) { try catalog.upsert(broken) }
        #expect(catalog.trial(id: "NCT1")?.title == "Renamed")
        let removed = catalog.remove(trialID: "NCT1")
        #expect(removed?.title == "Renamed")
        #expect(catalog.trials.isEmpty)
        let removedAgain = catalog.remove(trialID: "NCT1")
        #expect(removedAgain == nil)
    }

    @Test("the in-memory ledger never over-books and never goes below zero")
    func inMemoryLedger() throws {
        var ledger = InMemorySlotLedger(capacities: [SlotKey(trialID: "T", siteID: "S"): 2])
        let first = ledger.reserve(trialID: "T", siteID: "S")
        #expect(first)
        let second = ledger.reserve(trialID: "T", siteID: "S")
        #expect(second)
        let third = ledger.reserve(trialID: "T", siteID: "S")
        #expect(!third)
        let unknownSite = ledger.reserve(trialID: "T", siteID: "unknown")
        #expect(!unknownSite)
        ledger.release(trialID: "T", siteID: "S")
        ledger.release(trialID: "T", siteID: "S")
        ledger.release(trialID: "T", siteID: "S")
        #expect(ledger.inUse(trialID: "T", siteID: "S") == 0)
        #expect(ledger.available(trialID: "T", siteID: "S") == 2)
        let catalog = try Self.sample()
        let synced = InMemorySlotLedger(catalog: catalog)
        #expect(
            synced.capacity(trialID: "NCT09900101", siteID: "nl-rtm-01")
                == catalog.trial(id: "NCT09900101")?.site(id: "nl-rtm-01")?.screeningCapacity)
    }
}
