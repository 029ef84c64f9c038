import Foundation
import Testing
import TransitRuntime
import TransitStore
import TransitTestSupport
import enum TransitWire.JSONText
import struct TransitWire.StoredPlannedVisit
import TrialAccess

@testable import TrialAccessWorker

/// Enrollments, waitlists, reservation timers and live catalogue entries are stored as
/// `trialtransit.store.v1` protobuf; rows of the old JSON format are read, never written.
@Suite("Trial-access worker: stored state")
struct StoredStateTests {
    static let now: Int64 = 1_767_312_000_000

    /// Two legs at risk, one with a reason code and one without.
    static let risks = [
        VisitTransportRisk(
            reason: .noPartnerAvailable, bookingID: "bk-1", legID: "outbound-1", reasonCode: "NO_PARTNER_IN_AREA",
            sourceEventID: "attn-1", reportedAt: now),
        VisitTransportRisk(
            reason: .partnerCancelled, bookingID: "bk-1", legID: "return-1", reasonCode: nil, sourceEventID: "attn-2",
            reportedAt: now + 1),
    ]

    /// One enrollment with every optional field set, one with none.
    static func enrollments() -> [Enrollment] {
        let visit = Visit(
            visitID: "v-1", trialID: TestCatalog.trialID, siteID: TestCatalog.siteA, visitCode: "C1D1",
            scheduledAt: now + 86_400_000, protocolWindow: TimeWindow(startAt: now, endAt: now + 2 * 86_400_000),
            durationMinutes: 90)
        let unstated = Visit(
            visitID: "v-2", trialID: TestCatalog.trialID, siteID: TestCatalog.siteA, visitCode: "EOT",
            scheduledAt: now, protocolWindow: TimeWindow(startAt: .min, endAt: .max))
        let full = Enrollment(
            patientRef: "p-1", trialID: TestCatalog.trialID, referralID: "r-1", state: .withdrawn,
            siteID: TestCatalog.siteA, siteDistanceKm: 0, slot: SlotHold(slotID: "s-1", siteID: "site-a", reservedAt: now, expiresAt: now + 5),
            unmetCriteria: ["AGE", "ECOG"], withdrawalReason: .adverseEvent,
            reachableSites: [ReachableSite(siteID: "site-a", distanceKm: 12.5), ReachableSite(siteID: "site-b", distanceKm: 0)],
            travelProfile: TravelProfile(mobility: .wheelchair, companions: 2, language: "nl"),
            travelRequests: [
                TravelRequestRecord(
                    storedRequestID: "req-1", visitID: "v-1", mobility: .stretcher, companions: 0, language: "",
                    cancelledVisitIDs: ["v-9"], fromReferral: false),
                TravelRequestRecord(
                    storedRequestID: "req-2", visitID: nil, mobility: nil, companions: nil, language: nil,
                    cancelledVisitIDs: [], fromReferral: true),
            ],
            consents: [Consent(scope: .dataSharing, version: "1", grantedAt: now, trialID: "t"), Consent(scope: .contact, version: "2", grantedAt: 0)],
            visits: [
                PlannedVisit(
                    storedVisit: visit, status: .cancelled, windowAtRisk: true,
                    destination: SiteLocation(point: TestCatalog.siteALocation, addressText: "Test Road 1"),
                    travelRequested: true, previousScheduledAt: now - 1, completedAt: now + 1),
                PlannedVisit(
                    storedVisit: unstated, status: .planned, windowAtRisk: false,
                    destination: SiteLocation(point: GeoPoint(latitude: 0, longitude: 0)), travelRequested: false,
                    previousScheduledAt: nil, completedAt: nil, transportRisks: risks),
            ],
            history: [
                StatusTransition(
                    storedFrom: .candidate, to: .eligible, reasonCodes: [], withdrawalReason: nil, sourceEventID: "e-1", at: now),
                StatusTransition(
                    storedFrom: .onStudy, to: .withdrawn, reasonCodes: ["A", "B"], withdrawalReason: .other,
                    sourceEventID: "e-2", at: now + 1),
            ],
            armCode: "ARM-A", appliedEventIDs: ["e-1", "e-2"], createdAt: now, updatedAt: now + 2, revision: 7)
        let bare = Enrollment(patientRef: "p-2", trialID: TestCatalog.trialID, referralID: "r-2", createdAt: now)
        return [full, bare]
    }

    static func waitlist() -> Waitlist {
        Waitlist(
            trialID: TestCatalog.trialID,
            entries: [
                WaitlistEntry(
                    storedPatientRef: "p-3", queuedAt: now, sequence: 4,
                    reachableSites: [ReachableSite(siteID: "site-b", distanceKm: 40.25)], sourceEventID: "e-3",
                    offer: WaitlistOffer(offerID: "e-9/promotion/t/p-3", siteID: "site-b")),
                WaitlistEntry(storedPatientRef: "p-4", queuedAt: now + 1, sequence: 5, reachableSites: [], sourceEventID: "e-4"),
            ], nextSequence: 6, revision: 9)
    }

    /// The test trial as rows of the old JSON format held it: they predate patient status texts.
    static func legacyTrial(capacityA: Int, capacityB: Int, updatedAt: Int64 = 1_767_225_600_000) -> TrialDefinition {
        var trial = TestCatalog.trial(capacityA: capacityA, capacityB: capacityB, updatedAt: updatedAt)
        trial.patientStatusTexts = []
        return trial
    }

    static let timer = ReservationTimer(patientRef: "p-1", trialID: TestCatalog.trialID, slotID: "s-1", fireAt: now)

    /// The old stored form: JSON of the `Codable` value with sorted keys.
    static func legacyJSON<T: Encodable>(_ value: T) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(value))
    }

    /// The old stored form of a catalogue record, as the definition's former `Codable` conformance
    /// wrote it (`{"trial": {…}}`, `{}` for a tombstone; empty lists kept, `updatedAt` a number).
    static func legacyCatalogRow(_ trial: TrialDefinition?) -> [UInt8] {
        func strings(_ values: [String]) -> String { "[" + values.map { JSONText.quoted($0) }.joined(separator: ",") + "]" }
        guard let trial else { return Array("{}".utf8) }
        let criteria = trial.criteria
        var criteriaMembers: [(String, String)] = [
            ("conditionCodes", strings(criteria.conditionCodes)),
            ("excludedConditionCodes", strings(criteria.excludedConditionCodes)),
            ("excludedPriorTherapies", strings(criteria.excludedPriorTherapies)),
        ]
        if let age = criteria.maxAgeYears { criteriaMembers.append(("maxAgeYears", "\(age)")) }
        if let ecog = criteria.maxECOG { criteriaMembers.append(("maxEcog", "\(ecog)")) }
        if let age = criteria.minAgeYears { criteriaMembers.append(("minAgeYears", "\(age)")) }
        let biomarkers = criteria.requiredBiomarkers.map {
            JSONText.object([
                ("code", JSONText.quoted($0.code)), ("comparison", JSONText.quoted($0.comparison.rawValue)),
                ("threshold", "\($0.threshold)"), ("unit", JSONText.quoted($0.unit)),
            ])
        }
        criteriaMembers += [("requiredBiomarkers", "[" + biomarkers.joined(separator: ",") + "]"), ("stages", strings(criteria.stages))]
        let sites = trial.sites.map { site in
            JSONText.object([
                ("location", JSONText.object([
                    ("addressText", JSONText.quoted(site.location.addressText)),
                    ("point", JSONText.object([
                        ("latitude", "\(site.location.point.latitude)"), ("longitude", "\(site.location.point.longitude)"),
                    ])),
                ])),
                ("name", JSONText.quoted(site.name)), ("recruiting", "\(site.recruiting)"),
                ("screeningCapacity", "\(site.screeningCapacity)"), ("siteId", JSONText.quoted(site.siteID)),
            ])
        }
        var members: [(String, String)] = [("criteria", JSONText.object(criteriaMembers))]
        if let phase = trial.phase { members.append(("phase", JSONText.quoted(phase.rawValue))) }
        members += [
            ("recruitingStatus", JSONText.quoted(trial.recruitingStatus.rawValue)),
            ("sites", "[" + sites.joined(separator: ",") + "]"), ("title", JSONText.quoted(trial.title)),
            ("trialId", JSONText.quoted(trial.trialID)), ("updatedAt", "\(trial.updatedAt)"),
        ]
        return Array(JSONText.object([("trial", JSONText.object(members))]).utf8)
    }

    @Test func aggregatesRoundTripAsProtobuf() throws {
        let record = PatientEnrollments(enrollments: Self.enrollments())
        #expect(!StoredState.isLegacyJSON(record.storedBytes))
        #expect(try PatientEnrollments(storedBytes: record.storedBytes) == record)
        #expect(try Waitlist(storedBytes: Self.waitlist().storedBytes) == Self.waitlist())
        #expect(try ReservationTimer(storedBytes: Self.timer.storedBytes) == Self.timer)
        #expect(try LiveCatalogEntry(storedBytes: LiveCatalogEntry.storedBytes(nil)) == LiveCatalogEntry(trial: nil))
        let (bytes, expected) = try Self.storedCatalogRecord()
        #expect(try LiveCatalogEntry(storedBytes: bytes) == LiveCatalogEntry(trial: expected))
    }

    @Test func rowsOfTheOldJSONFormatAreRead() throws {
        let record = PatientEnrollments(enrollments: Self.enrollments())
        #expect(try PatientEnrollments(storedBytes: Self.legacyJSON(record)) == record)
        #expect(try Waitlist(storedBytes: Self.legacyJSON(Self.waitlist())) == Self.waitlist())
        #expect(try ReservationTimer(storedBytes: Self.legacyJSON(Self.timer)) == Self.timer)
        let entry = LiveCatalogEntry(trial: Self.legacyTrial(capacityA: 2, capacityB: 1))
        #expect(try LiveCatalogEntry(storedBytes: Self.legacyCatalogRow(entry.trial)) == entry)
        #expect(try LiveCatalogEntry(storedBytes: Self.legacyCatalogRow(nil)) == LiveCatalogEntry(trial: nil))
    }

    @Test func unreadableRowsAreRefusedWithTheTypeOnly() throws {
        for row: [UInt8] in [[0xFF, 0x01], Array("{\"enrollments\": \"p-secret\"}".utf8), [0x0A, 0x05, 0x0A]] {
            #expect {
                _ = try PatientEnrollments(storedBytes: row)
            } throws: { error in
                (error as? StoredStateError)?.description == "stored PatientEnrollments does not decode"
            }
        }
    }

    /// Rows an earlier version wrote in JSON are read from SQLite and PostgreSQL through the
    /// repository, the catalogue and the timer; the next save writes protobuf.
    @Test(arguments: StoreKind.allCases)
    func oldRowsInTheStoreAreReadAndRewrittenAsProtobuf(_ kind: StoreKind) async throws {
        let database = try await TestDatabase.make(kind)
        defer { database.destroy() }
        let store = try await database.open()
        let record = PatientEnrollments(enrollments: Self.enrollments())
        let waitlist = Self.waitlist()
        let trial = Self.legacyTrial(capacityA: 5, capacityB: 1, updatedAt: Self.now)
        let rows = (
            try Self.legacyJSON(record), try Self.legacyJSON(waitlist), Self.legacyCatalogRow(trial),
            try Self.legacyJSON(Self.timer)
        )
        try await store.transaction { transaction in
            try transaction.setState(namespace: StateKeys.enrollment, key: "p-1", value: rows.0)
            try transaction.setState(namespace: StateKeys.waitlist, key: waitlist.trialID, value: rows.1)
            try transaction.setState(namespace: StateKeys.catalog, key: trial.trialID, value: rows.2)
            try transaction.setCapacity(counter: StateKeys.catalogVersionCounter, capacity: 1)
            try transaction.schedule(DurableTimer(key: Self.timer.timerID, owner: "trial-access", fireAt: 0, payload: rows.3))
        }
        let base = TrialCatalog()
        let read = try await store.transaction { transaction in
            let repository = StoreRepository(transaction: transaction, locking: false)
            let due = try transaction.dueTimers(owner: "trial-access", now: Self.now, limit: 10)
            return (
                try repository.stored(patientRef: "p-1"), try repository.waitlist(trialID: waitlist.trialID),
                try CatalogSource(base: base).current(in: transaction).trial(id: trial.trialID),
                due.compactMap(ReservationTimer.init)
            )
        }
        #expect(read.0 == record)
        #expect(read.1 == waitlist)
        #expect(read.2 == trial)
        #expect(read.3 == [Self.timer])
        let rewritten = try await store.transaction { transaction in
            let repository = StoreRepository(transaction: transaction, locking: false)
            try repository.save(enrollments: [Self.enrollments()[0]], waitlists: [waitlist])
            return (
                try transaction.state(namespace: StateKeys.enrollment, key: "p-1") ?? [],
                try transaction.state(namespace: StateKeys.waitlist, key: waitlist.trialID) ?? []
            )
        }
        try await store.close()
        #expect(rewritten.0 == record.storedBytes)
        #expect(rewritten.1 == waitlist.storedBytes)
    }

    @Test func aVisitRowWithTheOneRiskOfBeforeRisksPerLegReadsAsThatLegAtRisk() throws {
        let planned = try #require(Self.enrollments().first?.visits.last)
        var old = StoredPlannedVisit(planned)
        #expect(old.transportRisks.count == 2 && old.transportRisk == nil, "written per leg only")
        old.transportRisk = old.transportRisks.last
        old.transportRisks = []
        let read = try StoredPlannedVisit(wireBytes: old.wireBytes()).domain()
        #expect(read.transportRisks == [Self.risks[1]])
        #expect(StoredPlannedVisit(read).transportRisk == nil)
    }

}
