import Testing
import TrialAccess

/// A freed slot is held for the first waiting patient and promoted by an offer command keyed by
/// that patient (docs/TRIAL_ACCESS.md §5), so that only the owner of the patient's partition writes
/// the patient's outputs.
@Suite("Waitlist offers")
struct WaitlistOfferTests {
    static func withdrawal(_ harness: Harness) -> TrialAccessCommand.Body {
        .patientWithdrawn(PatientWithdrawal(trialID: Fixture.trialID, reason: .other, withdrawnAt: harness.now))
    }

    @Test("the freeing command holds the slot and writes an offer for the waiting patient, none of their outputs")
    func freeingHoldsAndOffers() throws {
        var harness = try WaitlistTests.queue()
        let freeing = try harness.run(
            TrialAccessCommand(eventID: "wd-1", patientRef: "holder", body: Self.withdrawal(harness)),
            deliverOffers: false
        ).get()
        let offerID = "wd-1/promotion/\(Fixture.trialID)/p2"
        #expect(freeing.offers.map(\.eventID) == [offerID])
        #expect(freeing.offers.map(\.patientRef) == ["p2"])
        #expect(Set(freeing.outputs.map(\.patientRef)) == ["holder"])
        #expect(freeing.enrollments.map(\.patientRef) == ["holder"])
        #expect(harness.state("p2") == .waitlisted)
        #expect(harness.inUse("A") == 1, "the freed slot is held for p2, not free for a newcomer")
        #expect(harness.store.waitlist(trialID: Fixture.trialID)?.entry(of: "p2")?.offer?.offerID == offerID)

        let offer = try #require(freeing.offers.first)
        let accepted = try harness.run(offer).get()
        #expect(harness.state("p2") == .eligible)
        #expect(harness.inUse("A") == 1)
        #expect(harness.waitlist() == ["p1", "p3"])
        #expect(Set(accepted.outputs.map(\.patientRef)) == ["p2"])
        #expect(accepted.outputs.map(\.eventID) == ["\(offerID)/status/eligible", "\(offerID)/slot-reserved"])

        let again = try harness.run(offer).get()
        #expect(again.outputs.isEmpty)
        #expect(again.ignoredReason == IgnoredReason.offerNotHeld)
        #expect(harness.inUse("A") == 1)
    }

    @Test("an offer the waitlist does not hold (forged, or for another patient) changes nothing")
    func forgedOffer() throws {
        var harness = try WaitlistTests.queue()
        let forged = TrialAccessCommand(
            eventID: "forged", patientRef: "p3",
            body: .waitlistSlotOffered(WaitlistSlotOffer(trialID: Fixture.trialID, siteID: "A")))
        let outcome = try harness.run(forged).get()
        #expect(outcome.ignoredReason == IgnoredReason.offerNotHeld)
        #expect(outcome.outputs.isEmpty)
        #expect(harness.state("p3") == .waitlisted)
        #expect(harness.inUse("A") == 1)
    }

    @Test("a patient who withdrew before the offer reached them gives the held slot to the next in line")
    func withdrawnBeforeOffer() throws {
        var harness = try WaitlistTests.queue()
        let freeing = try harness.run(
            TrialAccessCommand(eventID: "wd-1", patientRef: "holder", body: Self.withdrawal(harness)),
            deliverOffers: false
        ).get()
        // p2's withdrawal was on p2's partition before the offer: it gives the held slot back and
        // offers it to p3.
        let withdrawn = try harness.run(
            TrialAccessCommand(eventID: "wd-p2", patientRef: "p2", body: Self.withdrawal(harness)), deliverOffers: false
        ).get()
        #expect(withdrawn.offers.map(\.patientRef) == ["p3"])
        #expect(harness.inUse("A") == 1)
        let late = try harness.run(try #require(freeing.offers.first)).get()
        #expect(late.ignoredReason == IgnoredReason.offerNotHeld)
        #expect(harness.state("p2") == .withdrawn)
        _ = try harness.run(try #require(withdrawn.offers.first)).get()
        #expect(harness.state("p3") == .eligible)
        #expect(harness.inUse("A") == 1)
        #expect(harness.waitlist() == ["p1"])
    }

    @Test("a site that stopped recruiting before the offer arrived gets its slot back; the patient waits on")
    func siteClosedBeforeOffer() throws {
        var harness = try WaitlistTests.queue()
        let freeing = try harness.run(
            TrialAccessCommand(eventID: "wd-1", patientRef: "holder", body: Self.withdrawal(harness)),
            deliverOffers: false
        ).get()
        var trial = try #require(harness.catalog.trial(id: Fixture.trialID))
        trial.sites[0].recruiting = false
        trial.updatedAt += 1
        try harness.catalog.upsert(trial)
        let outcome = try harness.run(try #require(freeing.offers.first)).get()
        #expect(outcome.offers.isEmpty)
        #expect(harness.state("p2") == .waitlisted)
        #expect(harness.inUse("A") == 0)
        #expect(harness.store.waitlist(trialID: Fixture.trialID)?.entry(of: "p2")?.offer == nil)
        #expect(harness.waitlist() == ["p1", "p2", "p3"])
    }
}
