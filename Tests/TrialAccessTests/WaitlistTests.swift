import Testing
import TrialAccess

@Suite("Waitlist")
struct WaitlistTests {
    static let trialID = Fixture.trialID

    static func enqueue(_ patient: String, at time: Int64, sites: [String]) -> WaitlistChange {
        .enqueue(
            trialID: trialID, patientRef: patient, queuedAt: time,
            reachableSites: sites.enumerated().map { ReachableSite(siteID: $1, distanceKm: Double($0 * 10)) },
            sourceEventID: "evt-\(patient)")
    }

    @Test("entries are ordered by referral time, then by arrival; re-enqueueing keeps the place")
    func ordering() {
        var list = Waitlist(trialID: Self.trialID)
        list.apply(Self.enqueue("late", at: 300, sites: ["A"]))
        list.apply(Self.enqueue("early", at: 100, sites: ["A"]))
        list.apply(Self.enqueue("tie-1", at: 200, sites: ["A"]))
        list.apply(Self.enqueue("tie-2", at: 200, sites: ["A"]))
        #expect(list.entries.map(\.patientRef) == ["early", "tie-1", "tie-2", "late"])
        let refreshed = list.apply(Self.enqueue("early", at: 999, sites: ["A", "B"]))
        #expect(refreshed)
        #expect(list.position(of: "early") == 1)
        #expect(list.entries.first?.reachableSites.map(\.siteID) == ["A", "B"])
        let unchanged = list.apply(Self.enqueue("early", at: 999, sites: ["A", "B"]))
        #expect(!unchanged)
        let removed = list.apply(.remove(trialID: Self.trialID, patientRef: "tie-1"))
        #expect(removed)
        let removedAgain = list.apply(.remove(trialID: Self.trialID, patientRef: "tie-1"))
        #expect(!removedAgain)
        let otherTrial = list.apply(.remove(trialID: "NCT-OTHER", patientRef: "late"))
        #expect(!otherTrial)
        #expect(list.entries.map(\.patientRef) == ["early", "tie-2", "late"])
    }

    @Test("the next candidate for a site is the first patient who can reach it")
    func nextCandidate() {
        var list = Waitlist(trialID: Self.trialID)
        list.apply(Self.enqueue("only-b", at: 1, sites: ["B"]))
        list.apply(Self.enqueue("a-and-b", at: 2, sites: ["A", "B"]))
        #expect(list.nextCandidate(forSite: "A")?.patientRef == "a-and-b")
        #expect(list.nextCandidate(forSite: "B")?.patientRef == "only-b")
        #expect(list.nextCandidate(forSite: "C") == nil)
    }

    /// Site A (capacity 1) in Amsterdam and site R (capacity 1) in Rotterdam; "holder" holds A,
    /// "holder-r" holds R, then p1, p2, p3 wait in that order.
    static func queue() throws -> Harness {
        var harness = try Harness([
            Fixture.trial(sites: [
                Fixture.site("A", Place.amsterdam, capacity: 1), Fixture.site("R", Place.rotterdam, capacity: 1),
            ])
        ])
        try harness.ok("holder", .patientReferred(Fixture.referral(maxTravelKm: 10)))
        try harness.ok("holder-r", .patientReferred(Fixture.referral(home: Place.rotterdam, maxTravelKm: 10)))
        try harness.ok("p1", .patientReferred(Fixture.referral(home: Place.rotterdam, maxTravelKm: 10)))
        try harness.ok("p2", .patientReferred(Fixture.referral(maxTravelKm: 100)))
        try harness.ok("p3", .patientReferred(Fixture.referral(maxTravelKm: 10)))
        return harness
    }

    @Test("a freed slot goes to the first waiting patient who can reach its site, in referral order")
    func promotionOrder() throws {
        var harness = try Self.queue()
        #expect(harness.waitlist() == ["p1", "p2", "p3"])
        let outcome = try harness.ok(
            "holder",
            .patientWithdrawn(PatientWithdrawal(trialID: Fixture.trialID, reason: .other, withdrawnAt: harness.now)),
            eventID: "wd-1")
        #expect(harness.state("p1") == .waitlisted)
        #expect(harness.state("p2") == .eligible)
        #expect(harness.enrollment("p2")?.siteID == "A")
        #expect(harness.waitlist() == ["p1", "p3"])
        #expect(
            outcome.outputs.filter { $0.patientRef == "p2" }.map(\.eventID) == [
                "wd-1/promotion/\(Fixture.trialID)/p2/status/eligible",
                "wd-1/promotion/\(Fixture.trialID)/p2/slot-reserved",
            ])
        #expect(outcome.statusChanges.last?.reasonCodes == ["PROMOTED_FROM_WAITLIST"])
        #expect(outcome.timers.contains { if case .set(let timer) = $0 { timer.patientRef == "p2" } else { false } })
        try harness.ok(
            "p2",
            .patientWithdrawn(PatientWithdrawal(trialID: Fixture.trialID, reason: .other, withdrawnAt: harness.now)))
        #expect(harness.state("p3") == .eligible)
        try harness.ok(
            "holder-r",
            .patientWithdrawn(PatientWithdrawal(trialID: Fixture.trialID, reason: .other, withdrawnAt: harness.now)))
        #expect(harness.state("p1") == .eligible)
        #expect(harness.enrollment("p1")?.siteID == "R")
        #expect(harness.waitlist().isEmpty)
    }

    @Test("an expired reservation releases the slot, sends the patient to review and promotes the next")
    func expiryPromotes() throws {
        var harness = try Self.queue()
        let holder = try #require(harness.enrollment("holder"))
        let slot = try #require(holder.slot)
        let timer = ReservationTimer(
            patientRef: "holder", trialID: Fixture.trialID, slotID: slot.slotID, fireAt: try #require(slot.expiresAt))
        harness.now = timer.fireAt
        let outcome = try harness.run(timer.firingCommand).get()
        #expect(harness.state("holder") == .needsReview)
        #expect(harness.enrollment("holder")?.unmetCriteria == ["SLOT_EXPIRED"])
        #expect(outcome.releases.map(\.reason) == [.expired])
        #expect(harness.state("p2") == .eligible)
        #expect(harness.inUse("A") == 1)
        let replay = try harness.run(timer.firingCommand).get()
        #expect(replay.ignoredReason == IgnoredReason.alreadyApplied)
        #expect(replay.outputs.isEmpty)
    }

    @Test("a timer for a slot whose screening started is stale and ignored")
    func staleTimer() throws {
        var harness = try Harness.subject(in: .eligible)
        let slot = try #require(harness.enrollment(Harness.subject)?.slot)
        try harness.ok(Harness.subject, .consentRecorded(Fixture.consent(.participation, at: harness.now)))
        let outcome = try harness.ok(
            Harness.subject, .reservationExpired(ReservationExpiry(trialID: Fixture.trialID, slotID: slot.slotID)))
        #expect(outcome.ignoredReason == IgnoredReason.staleTimer)
        #expect(harness.state(Harness.subject) == .screening)
        #expect(harness.inUse("A") == 1)
    }

    @Test(
        "the end of screening, passed or failed, frees the slot for the next patient",
        arguments: ScreeningOutcome.allCases)
    func screeningFrees(_ result: ScreeningOutcome) throws {
        var harness = try Harness.subject(in: .screening)
        try harness.ok(Harness.other, .patientReferred(Fixture.referral()))
        #expect(harness.state(Harness.other) == .waitlisted)
        try harness.ok(
            Harness.subject,
            .screeningCompleted(
                ScreeningResult(
                    trialID: Fixture.trialID, siteID: "A", outcome: result,
                    failedCriteria: result == .failed ? ["ECOG"] : [],
                    screenedAt: harness.now)))
        #expect(harness.state(Harness.subject) == (result == .passed ? .pendingOnStudy : .offStudy))
        #expect(harness.state(Harness.other) == .eligible)
        #expect(harness.inUse("A") == 1)
    }

    @Test("a withdrawn waitlisted patient leaves the queue and is never promoted")
    func withdrawnLeavesQueue() throws {
        var harness = try Self.queue()
        let outcome = try harness.ok(
            "p2",
            .patientWithdrawn(PatientWithdrawal(trialID: Fixture.trialID, reason: .other, withdrawnAt: harness.now)))
        #expect(outcome.releases.isEmpty)
        #expect(harness.waitlist() == ["p1", "p3"])
        try harness.ok(
            "holder",
            .patientWithdrawn(PatientWithdrawal(trialID: Fixture.trialID, reason: .other, withdrawnAt: harness.now)))
        #expect(harness.state("p2") == .withdrawn)
        #expect(harness.state("p3") == .eligible)
    }

    @Test("an entry whose enrollment is no longer waitlisted is dropped and the next patient promoted")
    func staleEntry() throws {
        var harness = try Self.queue()
        var list = try #require(harness.store.waitlist(trialID: Fixture.trialID))
        list.apply(Self.enqueue("ghost", at: 1, sites: ["A"]))
        harness.store.put(list)
        try harness.ok(
            "holder",
            .patientWithdrawn(PatientWithdrawal(trialID: Fixture.trialID, reason: .other, withdrawnAt: harness.now)))
        #expect(harness.state("p2") == .eligible)
        #expect(!harness.waitlist().contains("ghost"))
    }

    @Test("nobody is promoted into a site that stopped recruiting")
    func closedSite() throws {
        var harness = try Self.queue()
        var trial = try #require(harness.catalog.trial(id: Fixture.trialID))
        trial.sites[0].recruiting = false
        trial.updatedAt += 1
        try harness.catalog.upsert(trial)
        try harness.ok(
            "holder",
            .patientWithdrawn(PatientWithdrawal(trialID: Fixture.trialID, reason: .other, withdrawnAt: harness.now)))
        #expect(harness.state("p2") == .waitlisted)
        #expect(harness.inUse("A") == 0)
    }

    @Test("a capacity increase promotes as many waiting patients as there are new slots")
    func capacityIncrease() throws {
        var harness = try Self.queue()
        harness.ledger.setCapacity(3, trialID: Fixture.trialID, siteID: "A")
        var outcome = try TrialAccessEngine.fillFreeSlots(
            at: SlotKey(trialID: Fixture.trialID, siteID: "A"), causeEventID: "catalog/\(Fixture.trialID)/2",
            repository: harness.store, catalog: harness.catalog, ledger: &harness.ledger, now: harness.now)
        harness.store.save(outcome)
        #expect(outcome.offers.map(\.patientRef) == ["p2", "p3"])
        #expect(outcome.enrollments.isEmpty)
        #expect(harness.inUse("A") == 3)
        try harness.deliver(outcome.offers, into: &outcome)
        #expect(outcome.enrollments.map(\.patientRef) == ["p2", "p3"])
        #expect(harness.waitlist() == ["p1"])
        #expect(harness.inUse("A") == 3)
    }

    @Test("a promoted patient who already gave PARTICIPATION consent goes straight to screening")
    func promotedIntoScreening() throws {
        var harness = try Harness.subject(in: .eligible)
        try harness.ok(Harness.other, .patientReferred(Fixture.referral(consents: [Fixture.consent(.participation)])))
        #expect(harness.state(Harness.other) == .waitlisted)
        try harness.ok(
            Harness.subject,
            .patientWithdrawn(PatientWithdrawal(trialID: Fixture.trialID, reason: .other, withdrawnAt: harness.now)))
        let promoted = try #require(harness.enrollment(Harness.other))
        #expect(promoted.state == .screening)
        #expect(promoted.history.map(\.to) == [.waitlisted, .eligible, .screening])
        #expect(promoted.slot?.expiresAt == nil)
    }

    @Test("the decider's offer API leaves the waitlist alone when the ledger has no room")
    func promotionWithoutRoom() throws {
        let harness = try Self.queue()
        var ledger = harness.ledger
        let list = try #require(harness.store.waitlist(trialID: Fixture.trialID))
        let store = harness.store
        let offering = TrialAccessDecider().offerFromWaitlist(
            slot: SlotKey(trialID: Fixture.trialID, siteID: "A"), causeEventID: "x", waitlist: list,
            enrollmentOf: { store.enrollment(patientRef: $0, trialID: Fixture.trialID) }, catalog: harness.catalog,
            ledger: &ledger, now: harness.now)
        #expect(offering.offer == nil)
        #expect(!offering.waitlistChanged)
        #expect(ledger == harness.ledger)
    }
}
