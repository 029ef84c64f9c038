import Foundation
import Testing
import TrialAccess

/// Coarse home areas and site coordinates used across tests (great-circle distances from
/// Amsterdam: Utrecht ~35 km, Rotterdam ~57 km, Eindhoven ~108 km).
enum Place {
    static let amsterdam = GeoPoint(latitude: 52.37, longitude: 4.90)
    static let utrecht = GeoPoint(latitude: 52.09, longitude: 5.12)
    static let rotterdam = GeoPoint(latitude: 51.92, longitude: 4.48)
    static let eindhoven = GeoPoint(latitude: 51.44, longitude: 5.48)
    static let london = GeoPoint(latitude: 51.5074, longitude: -0.1278)
    static let paris = GeoPoint(latitude: 48.8566, longitude: 2.3522)
}

enum Fixture {
    /// 2026-01-02T00:00:00Z.
    static let t0: Int64 = 1_767_312_000_000
    static let trialID = "NCT-TEST-1"

    static let pdl1 = BiomarkerRequirement(code: "PDL1_TPS", comparison: .greaterOrEqual, threshold: 50, unit: "%")

    /// Lung cancer, stage IV, 18-80 years, ECOG <= 1, PD-L1 TPS >= 50 %, no prior anti-PD-1.
    static let criteria = EligibilityCriteria(
        conditionCodes: ["C34"], stages: ["IV", "IVA"], minAgeYears: 18, maxAgeYears: 80, maxECOG: 1,
        requiredBiomarkers: [pdl1], excludedPriorTherapies: ["ANTI_PD1"])

    static func site(_ id: String, _ point: GeoPoint, capacity: Int, recruiting: Bool = true) -> TrialSite {
        TrialSite(
            siteID: id, name: "Site \(id)",
            location: SiteLocation(point: point, addressText: "Street 1, entrance \(id)"),
            screeningCapacity: capacity, recruiting: recruiting)
    }

    static func trial(
        _ id: String = trialID, status: RecruitingStatus = .recruiting, criteria: EligibilityCriteria = criteria,
        sites: [TrialSite], updatedAt: Int64 = t0
    ) -> TrialDefinition {
        TrialDefinition(
            trialID: id, title: "Test trial \(id)", phase: .phase3, recruitingStatus: status, criteria: criteria,
            sites: sites,
            updatedAt: updatedAt)
    }

    /// A referral that meets ``criteria``.
    static func referral(
        id: String = "ref-1", trialID: String? = trialID, home: GeoPoint? = Place.amsterdam, maxTravelKm: Int? = 100,
        consents: [Consent] = [], wantsTravel: Bool = false
    ) -> PatientReferral {
        PatientReferral(
            referralID: id, trialID: trialID, conditionCode: "C34.1", stage: "IV", ageYears: 64, ecog: 1,
            biomarkers: [BiomarkerResult(code: "PDL1_TPS", value: 60, unit: "%")], priorTherapies: ["PLATINUM_CHEMO"],
            homeLocation: home, maxTravelKm: maxTravelKm, mobility: .wheelchair, companions: 1, language: "nl",
            consents: consents, wantsTravel: wantsTravel)
    }

    static func consent(
        _ scope: ConsentScope, trialID: String? = trialID, at time: Int64 = t0, version: String = "V1"
    ) -> Consent {
        Consent(scope: scope, version: version, grantedAt: time, trialID: trialID)
    }

    /// A visit in `days` days with a +/- 3 day window around it.
    static func visit(
        _ id: String, code: String = "C2D1", days: Int = 10, site: String = "A", trialID: String = trialID
    ) -> Visit {
        let at = t0 + Millis.days(days)
        return Visit(
            visitID: id, trialID: trialID, siteID: site, visitCode: code, scheduledAt: at,
            protocolWindow: TimeWindow(startAt: at - Millis.days(3), endAt: at + Millis.days(3)), durationMinutes: 90)
    }
}

/// Runs commands through ``TrialAccessEngine`` over an in-memory store and ledger, saving every
/// outcome; the clock advances one second per command.
struct Harness {
    var catalog: TrialCatalog
    var ledger: InMemorySlotLedger
    var store = InMemoryTrialAccessStore()
    var now: Int64 = Fixture.t0
    var config = TrialAccessConfig.standard
    private var counter = 0

    init(_ trials: [TrialDefinition]) throws {
        catalog = try TrialCatalog(trials: trials)
        ledger = InMemorySlotLedger(catalog: catalog)
    }

    /// One trial with site A in Amsterdam (capacity 1) and site B in Utrecht (capacity 0, always full).
    static func standard() throws -> Harness {
        try Harness([
            Fixture.trial(sites: [
                Fixture.site("A", Place.amsterdam, capacity: 1), Fixture.site("B", Place.utrecht, capacity: 0),
            ])
        ])
    }

    @discardableResult
    mutating func send(
        _ patient: String, _ body: TrialAccessCommand.Body, eventID: String? = nil
    ) throws -> Result<TrialAccessOutcome, TrialAccessRejection> {
        counter += 1
        let command = TrialAccessCommand(
            eventID: eventID ?? "evt-\(counter)", patientRef: patient, occurredAt: now, body: body)
        return try run(command)
    }

    /// Runs a prepared command (e.g. a timer's firing command), then, unless `deliverOffers` is
    /// false, the slot offers it made, at the same time, as the offered patients' partition owners
    /// would; the outcome returned then carries the offers' outputs, timers and audit after its own.
    @discardableResult
    mutating func run(
        _ command: TrialAccessCommand, deliverOffers: Bool = true
    ) throws -> Result<TrialAccessOutcome, TrialAccessRejection> {
        let result = try TrialAccessEngine.handle(
            command, repository: store, catalog: catalog, ledger: &ledger, now: now, config: config)
        guard case .success(var outcome) = result else {
            now += 1_000
            return result
        }
        store.save(outcome)
        if deliverOffers { try deliver(outcome.offers, into: &outcome) }
        now += 1_000
        return .success(outcome)
    }

    /// Handles `offers` (and the offers they make in turn) and adds what they did to `outcome`.
    mutating func deliver(_ offers: [TrialAccessCommand], into outcome: inout TrialAccessOutcome) throws {
        var pending = offers
        while !pending.isEmpty {
            let accepted = try TrialAccessEngine.handle(
                pending.removeFirst(), repository: store, catalog: catalog, ledger: &ledger, now: now, config: config
            ).get()
            store.save(accepted)
            outcome.enrollments += accepted.enrollments
            outcome.outputs += accepted.outputs
            outcome.timers += accepted.timers
            outcome.audit += accepted.audit
            pending += accepted.offers
        }
    }

    /// Sends and requires success.
    @discardableResult
    mutating func ok(
        _ patient: String, _ body: TrialAccessCommand.Body, eventID: String? = nil
    ) throws -> TrialAccessOutcome {
        try send(patient, body, eventID: eventID).get()
    }

    /// Sends and requires a rejection.
    mutating func rejected(_ patient: String, _ body: TrialAccessCommand.Body) throws -> TrialAccessRejection {
        switch try send(patient, body) {
        case .success: throw HarnessError.unexpectedSuccess
        case .failure(let rejection): return rejection
        }
    }

    func enrollment(_ patient: String, _ trialID: String = Fixture.trialID) -> Enrollment? {
        store.enrollment(patientRef: patient, trialID: trialID)
    }

    func state(_ patient: String, _ trialID: String = Fixture.trialID) -> EnrollmentState? {
        enrollment(patient, trialID)?.state
    }

    func waitlist(_ trialID: String = Fixture.trialID) -> [String] {
        store.waitlist(trialID: trialID)?.entries.map(\.patientRef) ?? []
    }

    func inUse(_ site: String, _ trialID: String = Fixture.trialID) -> Int {
        ledger.inUse(trialID: trialID, siteID: site)
    }
}

enum HarnessError: Error { case unexpectedSuccess }

extension TrialAccessOutcome {
    var statusChanges: [EnrollmentStatusChange] {
        outputs.compactMap { if case .statusChanged(let change) = $0.body { change } else { nil } }
    }
    var reservations: [SlotReservation] {
        outputs.compactMap { if case .slotReserved(let value) = $0.body { value } else { nil } }
    }
    var releases: [SlotRelease] {
        outputs.compactMap { if case .slotReleased(let value) = $0.body { value } else { nil } }
    }
    var plannedVisits: [VisitPlan] {
        outputs.compactMap { if case .visitPlanned(let value) = $0.body { value } else { nil } }
    }
    var travelNeeds: [TravelNeed] {
        outputs.compactMap { if case .travelNeeded(let value) = $0.body { value } else { nil } }
    }
    var travelRetractions: [TravelRetraction] {
        outputs.compactMap { if case .travelNoLongerNeeded(let value) = $0.body { value } else { nil } }
    }
    var visitRisks: [VisitRisk] {
        outputs.compactMap { if case .visitAtRisk(let value) = $0.body { value } else { nil } }
    }
    var visitRiskClearances: [VisitRiskClearance] {
        outputs.compactMap { if case .visitRiskCleared(let value) = $0.body { value } else { nil } }
    }
    /// Short names of the outputs in order, e.g. "status", "slot-reserved".
    var kinds: [String] {
        outputs.map { output in
            switch output.body {
            case .statusChanged: "status"
            case .slotReserved: "slot-reserved"
            case .slotReleased: "slot-released"
            case .visitPlanned: "visit-planned"
            case .travelNeeded: "travel-needed"
            case .travelNoLongerNeeded: "travel-cancelled"
            case .visitAtRisk: "visit-at-risk"
            case .visitRiskCleared: "visit-risk-cleared"
            }
        }
    }
}
