import Testing
import TrialAccess

/// One change to the passing referral and the criterion codes it must fail with.
struct CriterionCase: Sendable, CustomTestStringConvertible {
    let name: String
    let change: @Sendable (inout PatientReferral) -> Void
    let failed: [String]
    var testDescription: String { name }

    static let all: [CriterionCase] = [
        .init(
            name: "condition in a listed ICD-10 category passes", change: { $0.conditionCode = "C34.90" }, failed: []),
        .init(name: "other diagnosis fails CONDITION", change: { $0.conditionCode = "C50.9" }, failed: ["CONDITION"]),
        .init(
            name: "ICD-10-CM system is accepted", change: { $0.conditionSystem = "http://hl7.org/fhir/sid/icd-10-cm" },
            failed: []),
        .init(name: "stage compared case-insensitively", change: { $0.stage = "iva" }, failed: []),
        .init(name: "other stage fails STAGE", change: { $0.stage = "IIIA" }, failed: ["STAGE"]),
        .init(name: "minimum age is inclusive", change: { $0.ageYears = 18 }, failed: []),
        .init(name: "younger fails AGE_MIN", change: { $0.ageYears = 17 }, failed: ["AGE_MIN"]),
        .init(name: "maximum age is inclusive", change: { $0.ageYears = 80 }, failed: []),
        .init(name: "older fails AGE_MAX", change: { $0.ageYears = 81 }, failed: ["AGE_MAX"]),
        .init(name: "ECOG 0 passes", change: { $0.ecog = 0 }, failed: []),
        .init(name: "ECOG above maximum fails ECOG", change: { $0.ecog = 2 }, failed: ["ECOG"]),
        .init(
            name: "PD-L1 at threshold passes",
            change: { $0.biomarkers = [BiomarkerResult(code: "PDL1_TPS", value: 50, unit: "%")] }, failed: []),
        .init(
            name: "PD-L1 below threshold fails",
            change: { $0.biomarkers = [BiomarkerResult(code: "PDL1_TPS", value: 49, unit: "%")] },
            failed: ["BIOMARKER:PDL1_TPS"]),
        .init(
            name: "newest biomarker result counts",
            change: {
                $0.biomarkers = [
                    BiomarkerResult(code: "PDL1_TPS", value: 80, unit: "%", measuredAt: 1_000),
                    BiomarkerResult(code: "PDL1_TPS", value: 10, unit: "%", measuredAt: 2_000),
                ]
            }, failed: ["BIOMARKER:PDL1_TPS"]),
        .init(
            name: "other prior therapy passes", change: { $0.priorTherapies = ["PLATINUM_CHEMO", "L01XA01"] },
            failed: []),
        .init(
            name: "prior anti-PD-1 fails", change: { $0.priorTherapies = ["ANTI_PD1"] },
            failed: ["PRIOR_THERAPY:ANTI_PD1"]),
        .init(
            name: "every failed criterion is reported",
            change: {
                $0.conditionCode = "C43.9"
                $0.ageYears = 90
                $0.ecog = 3
                $0.priorTherapies = ["ANTI_PD1"]
            }, failed: ["CONDITION", "AGE_MAX", "ECOG", "PRIOR_THERAPY:ANTI_PD1"]),
    ]
}

/// One missing value and the codes the referral must need review for.
struct MissingCase: Sendable, CustomTestStringConvertible {
    let name: String
    let change: @Sendable (inout PatientReferral) -> Void
    let missing: [String]
    var testDescription: String { name }

    static let all: [MissingCase] = [
        .init(name: "age", change: { $0.ageYears = nil }, missing: ["AGE"]),
        .init(name: "ECOG", change: { $0.ecog = nil }, missing: ["ECOG"]),
        .init(name: "required biomarker", change: { $0.biomarkers = [] }, missing: ["BIOMARKER:PDL1_TPS"]),
        .init(
            name: "biomarker in another unit",
            change: { $0.biomarkers = [BiomarkerResult(code: "PDL1_TPS", value: 0.6, unit: "fraction")] },
            missing: ["BIOMARKER:PDL1_TPS"]),
        .init(name: "stage", change: { $0.stage = nil }, missing: ["STAGE"]),
        .init(name: "condition", change: { $0.conditionCode = nil }, missing: ["CONDITION"]),
        .init(
            name: "condition in a non-ICD-10 system", change: { $0.conditionSystem = "http://snomed.info/sct" },
            missing: ["CONDITION"]),
        .init(name: "home location", change: { $0.homeLocation = nil }, missing: ["HOME_LOCATION"]),
        .init(
            name: "several values",
            change: {
                $0.ageYears = nil
                $0.ecog = nil
            }, missing: ["AGE", "ECOG"]),
    ]
}

@Suite("Matching")
struct MatchingTests {
    @Test("each criterion passes or fails by name", arguments: CriterionCase.all)
    func criterion(_ testCase: CriterionCase) throws {
        var harness = try Harness.standard()
        var referral = Fixture.referral()
        testCase.change(&referral)
        let outcome = try harness.ok("p1", .patientReferred(referral))
        let enrollment = try #require(harness.enrollment("p1"))
        if testCase.failed.isEmpty {
            #expect(enrollment.state == .eligible)
            #expect(enrollment.unmetCriteria.isEmpty)
            #expect(harness.inUse("A") == 1)
        } else {
            #expect(enrollment.state == .ineligible)
            #expect(enrollment.unmetCriteria == testCase.failed)
            #expect(outcome.statusChanges.last?.reasonCodes == testCase.failed)
            #expect(harness.inUse("A") == 0)
            #expect(outcome.reservations.isEmpty)
        }
    }

    @Test("a value a criterion needs is missing: needs review listing it", arguments: MissingCase.all)
    func missingValue(_ testCase: MissingCase) throws {
        var harness = try Harness.standard()
        var referral = Fixture.referral()
        testCase.change(&referral)
        try harness.ok("p1", .patientReferred(referral))
        let enrollment = try #require(harness.enrollment("p1"))
        #expect(enrollment.state == .needsReview)
        #expect(enrollment.unmetCriteria == testCase.missing)
        #expect(enrollment.slot == nil)
        #expect(harness.inUse("A") == 0)
    }

    @Test("a failed criterion outweighs a missing value")
    func failureBeatsMissing() throws {
        var harness = try Harness.standard()
        var referral = Fixture.referral()
        referral.ecog = nil
        referral.ageYears = 12
        try harness.ok("p1", .patientReferred(referral))
        #expect(harness.state("p1") == .ineligible)
        #expect(harness.enrollment("p1")?.unmetCriteria == ["AGE_MIN"])
    }

    @Test("an excluded diagnosis is reported with its code")
    func excludedCondition() throws {
        var criteria = Fixture.criteria
        criteria.excludedConditionCodes = ["C34.0"]
        let trial = Fixture.trial(criteria: criteria, sites: [Fixture.site("A", Place.amsterdam, capacity: 1)])
        var referral = Fixture.referral()
        referral.conditionCode = "C34.0"
        #expect(EligibilityEvaluator.evaluate(referral, for: trial, now: Fixture.t0).failed == ["EXCLUDED_CONDITION:C34.0"])
        referral.conditionCode = "C34.1"
        #expect(EligibilityEvaluator.evaluate(referral, for: trial, now: Fixture.t0).verdict == .eligible)
    }

    @Test(
        "comparisons hold at and around the threshold",
        arguments: [
            (Comparison.greaterOrEqual, [false, true, true]), (.greater, [false, false, true]),
            (.lessOrEqual, [true, true, false]), (.less, [true, false, false]), (.equal, [false, true, false]),
        ])
    func comparison(_ comparison: Comparison, _ expected: [Bool]) {
        #expect([49.0, 50.0, 51.0].map { comparison.holds($0, threshold: 50) } == expected)
    }

    @Test("great-circle distance matches known city distances")
    func haversine() {
        #expect(abs(Place.london.distanceKm(to: Place.paris) - 343.5) < 1.5)
        #expect(abs(Place.amsterdam.distanceKm(to: Place.rotterdam) - 57) < 2)
        #expect(Place.utrecht.distanceKm(to: Place.amsterdam) == Place.amsterdam.distanceKm(to: Place.utrecht))
    }

    @Test(
        "a site beyond the travel limit is out of reach",
        arguments: [(50 as Int?, EnrollmentState.ineligible), (60, .eligible), (nil, .eligible)])
    func distanceLimit(_ limit: Int?, _ expected: EnrollmentState) throws {
        var harness = try Harness([Fixture.trial(sites: [Fixture.site("R", Place.rotterdam, capacity: 1)])])
        try harness.ok("p1", .patientReferred(Fixture.referral(maxTravelKm: limit)))
        #expect(harness.state("p1") == expected)
        if expected == .ineligible {
            #expect(harness.enrollment("p1")?.unmetCriteria == ["NO_SITE_IN_RANGE"])
        } else {
            #expect(harness.enrollment("p1")?.siteDistanceKm == Place.amsterdam.distanceKm(to: Place.rotterdam))
        }
    }

    @Test("the nearest recruiting site with room is chosen and reserved")
    func nearestSite() throws {
        var harness = try Harness([
            Fixture.trial(sites: [
                Fixture.site("ROT", Place.rotterdam, capacity: 2), Fixture.site("UTR", Place.utrecht, capacity: 2),
                Fixture.site("AMS-CLOSED", Place.amsterdam, capacity: 2, recruiting: false),
            ])
        ])
        let outcome = try harness.ok("p1", .patientReferred(Fixture.referral()), eventID: "ref-evt")
        let enrollment = try #require(harness.enrollment("p1"))
        #expect(enrollment.state == .eligible)
        #expect(enrollment.siteID == "UTR")
        #expect(enrollment.slot?.siteID == "UTR")
        #expect(harness.inUse("UTR") == 1)
        #expect(harness.inUse("ROT") == 0)
        #expect(outcome.outputs.map(\.eventID) == ["ref-evt/status/eligible", "ref-evt/slot-reserved"])
        #expect(outcome.reservations.first?.distanceKm == Int(Place.amsterdam.distanceKm(to: Place.utrecht).rounded()))
        #expect(outcome.statusChanges.first?.previousState == .candidate)
        #expect(outcome.statusChanges.first?.siteID == "UTR")
    }

    @Test("a full nearest site passes the patient to the next nearest, then to the waitlist")
    func capacity() throws {
        var harness = try Harness([
            Fixture.trial(sites: [
                Fixture.site("UTR", Place.utrecht, capacity: 1), Fixture.site("ROT", Place.rotterdam, capacity: 1),
                Fixture.site("EIN", Place.eindhoven, capacity: 5),
            ])
        ])
        try harness.ok("p1", .patientReferred(Fixture.referral(maxTravelKm: 80)))
        try harness.ok("p2", .patientReferred(Fixture.referral(maxTravelKm: 80)))
        try harness.ok("p3", .patientReferred(Fixture.referral(maxTravelKm: 80)))
        #expect(harness.enrollment("p1")?.siteID == "UTR")
        #expect(harness.enrollment("p2")?.siteID == "ROT")
        let waiting = try #require(harness.enrollment("p3"))
        #expect(waiting.state == .waitlisted)
        #expect(waiting.slot == nil)
        #expect(waiting.reachableSites.map(\.siteID) == ["UTR", "ROT"])
        #expect(harness.waitlist() == ["p3"])
        #expect(harness.inUse("EIN") == 0)
    }

    @Test("a closed trial is ineligible without touching the ledger")
    func closedTrial() throws {
        var harness = try Harness([
            Fixture.trial(status: .closedToAccrual, sites: [Fixture.site("A", Place.amsterdam, capacity: 1)])
        ])
        try harness.ok("p1", .patientReferred(Fixture.referral()))
        #expect(harness.enrollment("p1")?.unmetCriteria == ["TRIAL_CLOSED"])
        #expect(harness.inUse("A") == 0)
    }

    @Test("a trial without recruiting sites is ineligible with NO_RECRUITING_SITE")
    func noRecruitingSite() throws {
        var harness = try Harness([
            Fixture.trial(sites: [Fixture.site("A", Place.amsterdam, capacity: 1, recruiting: false)])
        ])
        try harness.ok("p1", .patientReferred(Fixture.referral()))
        #expect(harness.enrollment("p1")?.unmetCriteria == ["NO_RECRUITING_SITE"])
    }

    @Test("a reservation sets an expiry timer at now + TTL")
    func expiryTimer() throws {
        var harness = try Harness.standard()
        harness.config.reservationTTL = Millis.days(3)
        let decidedAt = harness.now
        let outcome = try harness.ok("p1", .patientReferred(Fixture.referral()))
        let slot = try #require(harness.enrollment("p1")?.slot)
        #expect(slot.expiresAt == decidedAt + Millis.days(3))
        #expect(
            outcome.timers == [
                .set(
                    ReservationTimer(
                        patientRef: "p1", trialID: Fixture.trialID, slotID: slot.slotID,
                        fireAt: decidedAt + Millis.days(3)))
            ])
        #expect(outcome.reservations.first?.expiresAt == decidedAt + Millis.days(3))
    }

    @Test("an unknown trial is NOT_FOUND and an invalid referral INVALID_ARGUMENT")
    func refusals() throws {
        var harness = try Harness.standard()
        var unknown = Fixture.referral()
        unknown.trialID = "NCT-NOPE"
        let unknownTrial = try harness.rejected("p1", .patientReferred(unknown))
        #expect(unknownTrial.code == .notFound)
        var invalid = Fixture.referral()
        invalid.ecog = 7
        let rejection = try harness.rejected("p1", .patientReferred(invalid))
        #expect(rejection.code == .invalidArgument)
        #expect(rejection.code.grpcStatus == 3)
        #expect(!rejection.message.contains("p1"))
        #expect(harness.enrollment("p1") == nil)
        #expect(harness.inUse("A") == 0)
    }

    @Test("an open referral takes the nearest site over every eligible trial")
    func openReferral() throws {
        var harness = try Harness([
            Fixture.trial("NCT-ROT", sites: [Fixture.site("R", Place.rotterdam, capacity: 1)]),
            Fixture.trial("NCT-UTR", sites: [Fixture.site("U", Place.utrecht, capacity: 1)]),
            Fixture.trial(
                "NCT-AMS-CLOSED", status: .closedToAccrual, sites: [Fixture.site("A", Place.amsterdam, capacity: 1)]),
        ])
        let outcome = try harness.ok("p1", .patientReferred(Fixture.referral(trialID: nil)))
        #expect(harness.state("p1", "NCT-UTR") == .eligible)
        #expect(harness.enrollment("p1", "NCT-ROT") == nil)
        #expect(outcome.evaluations.map(\.trialID) == ["NCT-ROT", "NCT-UTR"])
        try harness.ok("p2", .patientReferred(Fixture.referral(trialID: nil)))
        #expect(harness.state("p2", "NCT-ROT") == .eligible)
        try harness.ok("p3", .patientReferred(Fixture.referral(trialID: nil)))
        #expect(harness.state("p3", "NCT-UTR") == .waitlisted)
        #expect(harness.waitlist("NCT-UTR") == ["p3"])
    }

    @Test("an open referral that matches nothing is ineligible without a trial, with per-trial codes audited")
    func openReferralNoMatch() throws {
        var harness = try Harness([
            Fixture.trial("NCT-X", sites: [Fixture.site("A", Place.amsterdam, capacity: 1)]),
            Fixture.trial("NCT-Y", sites: [Fixture.site("R", Place.rotterdam, capacity: 1)]),
        ])
        var referral = Fixture.referral(trialID: nil, maxTravelKm: 20)
        referral.ecog = 3
        let outcome = try harness.ok("p1", .patientReferred(referral))
        let enrollment = try #require(harness.enrollment("p1", ""))
        #expect(enrollment.state == .ineligible)
        #expect(enrollment.unmetCriteria == ["NO_MATCHING_TRIAL"])
        let details = try #require(outcome.audit.first?.details)
        #expect(details["evaluated:NCT-X"] == "ECOG")
        #expect(details["evaluated:NCT-Y"] == "ECOG,NO_SITE_IN_RANGE")
    }

    @Test("an open referral while another enrollment is in progress is ALREADY_EXISTS")
    func openReferralWhileInProgress() throws {
        var harness = try Harness.standard()
        try harness.ok("p1", .patientReferred(Fixture.referral()))
        let busy = try harness.rejected("p1", .patientReferred(Fixture.referral(trialID: nil)))
        #expect(busy.code == .alreadyExists)
    }

    @Test("a re-referral keeps the held slot while the site stays reachable")
    func reReferralKeepsSlot() throws {
        var harness = try Harness.standard()
        try harness.ok("p1", .patientReferred(Fixture.referral()))
        let slot = harness.enrollment("p1")?.slot
        let outcome = try harness.ok("p1", .patientReferred(Fixture.referral(id: "ref-2")))
        #expect(harness.enrollment("p1")?.slot == slot)
        #expect(outcome.kinds == ["status"])
        #expect(outcome.timers.isEmpty)
        #expect(harness.inUse("A") == 1)
    }

    @Test("a re-referral that no longer qualifies releases the slot")
    func reReferralReleases() throws {
        var harness = try Harness.standard()
        try harness.ok("p1", .patientReferred(Fixture.referral()))
        var worse = Fixture.referral(id: "ref-2")
        worse.ecog = 3
        let outcome = try harness.ok("p1", .patientReferred(worse))
        #expect(harness.state("p1") == .ineligible)
        #expect(outcome.releases.map(\.reason) == [.other])
        #expect(outcome.timers == [.cancel(timerID: "reservation-expiry/p1/\(Fixture.trialID)")])
        #expect(harness.inUse("A") == 0)
    }

    @Test("a re-referral from farther away moves a held slot to the waitlist of a reachable full site")
    func reReferralToWaitlist() throws {
        var harness = try Harness.standard()
        try harness.ok("p1", .patientReferred(Fixture.referral()))
        let outcome = try harness.ok(
            "p1", .patientReferred(Fixture.referral(id: "ref-2", home: Place.utrecht, maxTravelKm: 10)))
        #expect(harness.state("p1") == .waitlisted)
        #expect(harness.enrollment("p1")?.reachableSites.map(\.siteID) == ["B"])
        #expect(outcome.kinds.first == "slot-released")
        #expect(harness.inUse("A") == 0)
        #expect(harness.waitlist() == ["p1"])
    }

    @Test("a re-referral after the trial closed to accrual releases the slot as trial-closed")
    func reReferralTrialClosed() throws {
        var harness = try Harness.standard()
        try harness.ok("p1", .patientReferred(Fixture.referral()))
        var trial = try #require(harness.catalog.trial(id: Fixture.trialID))
        trial.recruitingStatus = .closedToAccrual
        trial.updatedAt += 1
        try harness.catalog.upsert(trial)
        let outcome = try harness.ok("p1", .patientReferred(Fixture.referral(id: "ref-2")))
        #expect(harness.enrollment("p1")?.unmetCriteria == ["TRIAL_CLOSED"])
        #expect(outcome.releases.map(\.reason) == [.trialClosed])
        #expect(harness.inUse("A") == 0)
    }
}
