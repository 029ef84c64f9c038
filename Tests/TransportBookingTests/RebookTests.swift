import Testing
import TransportBooking

/// `RebookRide`: a coordinator offers a leg that needs attention to a partner they name.
@Suite struct RebookTests {
    /// A booking whose outbound leg needs attention: every partner was tried.
    static func needingAttention() throws -> Scenario {
        var scenario = try Scenario.booked()
        try scenario.update(Leg.out, .rejected, sequence: 1)
        _ = try scenario.timeOut(Leg.out)
        return scenario
    }

    static func rebook(_ partnerID: String, leg: String = Leg.out, patient: String = Fixture.patientRef)
        -> BookingCommand
    {
        .rebook(RebookRequest(eventID: "rpc:RebookRide:k-1", patientRef: patient, legID: leg, partnerID: partnerID))
    }

    @Test func aLegNeedingAttentionIsOfferedToTheNamedPartnerEvenIfTriedBefore() throws {
        var scenario = try Self.needingAttention()
        #expect(scenario.leg(Leg.out).status == .needsAttention)
        let decision = try scenario.apply(Self.rebook("metro-taxi"))
        let leg = scenario.leg(Leg.out)
        #expect(leg.status == .offered)
        #expect(leg.currentPartnerID == "metro-taxi")
        #expect(leg.attentionReason == nil)
        #expect(decision.offers.map(\.partnerID) == ["metro-taxi"])
        #expect(decision.offered.map(\.legID) == [Leg.out])
        #expect(decision.timersSet.count == 1)
        #expect(leg.history.last?.from == .needsAttention)
        #expect(leg.history.last?.to == .offered)
    }

    @Test func aRebookIsRefusedUnlessTheLegNeedsAttentionAndThePartnerIsKnown() throws {
        let scenario = try Self.needingAttention()
        #expect(scenario.rejection(Self.rebook("no-such-partner"))?.code == .notFound)
        #expect(scenario.rejection(Self.rebook("metro-taxi", leg: "no-leg"))?.code == .notFound)
        #expect(scenario.rejection(Self.rebook("metro-taxi", patient: "someone-else"))?.code == .notFound)
        // The return leg is still OFFERED.
        #expect(scenario.rejection(Self.rebook("metro-taxi", leg: Leg.back))?.code == .invalidTransition)
    }
}
