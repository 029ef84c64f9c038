import Testing
import TransportBooking

@Suite("Partner update ordering")
struct PartnerUpdateOrderingTests {
    func accepted() throws -> Scenario {
        var scenario = try Scenario.booked()
        try scenario.update(Leg.out, .accepted, sequence: 1)
        try scenario.update(Leg.out, .driverAssigned, sequence: 2)
        return scenario
    }

    @Test func aDuplicateSequenceIsANoOpNotAnError() throws {
        var scenario = try accepted()
        let before = scenario.value
        let duplicate = try scenario.update(Leg.out, .driverAssigned, sequence: 2)
        #expect(duplicate.isNoOp)
        #expect(duplicate.ignoredReason == "DUPLICATE_PARTNER_UPDATE")
        #expect(scenario.value == before)
    }

    @Test func anOlderSequenceArrivingLateIsIgnoredEvenWithAHigherStatus() throws {
        var scenario = try accepted()
        try scenario.update(Leg.out, .pickedUp, sequence: 4)
        // Sequence 3 (arriving) shows up after 4: stale.
        let late = try scenario.update(Leg.out, .arriving, sequence: 3)
        #expect(late.isNoOp && scenario.leg(Leg.out).status == .pickedUp)
        #expect(scenario.leg(Leg.out).lastPartnerSequence == 4)
    }

    @Test func aLowerRankWithAHigherSequenceNeverMovesTheLegBack() throws {
        var scenario = try accepted()
        try scenario.update(Leg.out, .pickedUp, sequence: 3)
        let backwards = try scenario.update(Leg.out, .arriving, sequence: 4)
        #expect(backwards.isNoOp)
        #expect(scenario.leg(Leg.out).status == .pickedUp)
        #expect(scenario.leg(Leg.out).history.last?.to == .pickedUp)
    }

    @Test func skippedStatusesAreFine() throws {
        var scenario = try accepted()
        let jump = try scenario.update(Leg.out, .completed, sequence: 7)
        #expect(scenario.leg(Leg.out).status == .completed)
        #expect(jump.statusChanges.map(\.previousStatus) == [.driverAssigned])
    }

    @Test func theSameStatusAgainRefreshesTheEstimateSilently() throws {
        var scenario = try accepted()
        let eta = Fixture.appointment - 50 * Fixture.minute
        let refresh = try scenario.update(Leg.out, .driverAssigned, sequence: 3, eta: eta)
        #expect(refresh.events.isEmpty && refresh.ignoredReason == nil)
        #expect(scenario.leg(Leg.out).etaAt == eta)
        #expect(scenario.leg(Leg.out).lastPartnerSequence == 3)
        #expect(scenario.value.updatedAt == Fixture.now)
    }

    @Test func eachPartnerNumbersItsOwnUpdates() throws {
        var scenario = try Scenario.booked()
        try scenario.update(Leg.out, .rejected, sequence: 5)
        // The next partner starts at 1 for the same leg.
        try scenario.update(Leg.out, .accepted, sequence: 1)
        #expect(scenario.leg(Leg.out).status == .accepted)
        #expect(scenario.leg(Leg.out).partnerSequences == ["metro-taxi": 5, "careways-medical": 1])
    }

    @Test func anUpdateFromAnotherPartnerDoesNotMoveTheLeg() throws {
        var scenario = try Scenario.booked()
        try scenario.update(Leg.out, .rejected, sequence: 1)
        let before = scenario.value
        let stray = try scenario.update(Leg.out, .driverAssigned, sequence: 2, partner: "metro-taxi")
        #expect(stray.isNoOp && scenario.value == before)
    }

    @Test func anUnknownBookingIsNotFoundForTheDeadLetterTopic() throws {
        let update = PartnerUpdate(
            eventID: "pu-1", partnerID: "metro-taxi", bookingID: "bk-unknown", legID: Leg.out, status: .accepted,
            sequence: 1)
        let empty = Scenario()
        #expect(empty.rejection(.partnerUpdate(update))?.code == .notFound)
        // A booking loaded under a different id is not the one the update is about.
        let other = try Scenario.booked()
        #expect(other.rejection(.partnerUpdate(update))?.code == .notFound)
    }

    @Test func anUnknownLegIsNotFound() throws {
        let scenario = try Scenario.booked()
        let update = PartnerUpdate(
            eventID: "pu-1", partnerID: "metro-taxi", bookingID: scenario.value.bookingID, legID: "outbound-9",
            status: .accepted, sequence: 1)
        let rejection = try #require(scenario.rejection(.partnerUpdate(update)))
        #expect(rejection.code == .notFound)
        #expect(rejection.code.grpcStatus == 5)
    }

    @Test func aPartnerNeverOfferedTheLegIsRefused() throws {
        let scenario = try Scenario.booked()
        let update = PartnerUpdate(
            eventID: "pu-1", partnerID: "careways-medical", bookingID: scenario.value.bookingID, legID: Leg.out,
            status: .accepted, sequence: 1)
        #expect(scenario.rejection(.partnerUpdate(update))?.code == .invalidTransition)
    }

    @Test func sequenceZeroIsInvalid() throws {
        let scenario = try Scenario.booked()
        let update = PartnerUpdate(
            eventID: "pu-1", partnerID: "metro-taxi", bookingID: scenario.value.bookingID, legID: Leg.out,
            status: .accepted, sequence: 0)
        #expect(scenario.rejection(.partnerUpdate(update))?.code == .invalidArgument)
    }

    @Test func replayingAnAppliedEventIsANoOp() throws {
        var scenario = try Scenario.booked()
        let update = PartnerUpdate(
            eventID: "pu-replayed", partnerID: "metro-taxi", bookingID: scenario.value.bookingID, legID: Leg.out,
            status: .accepted, sequence: 1)
        let first = try scenario.apply(.partnerUpdate(update))
        #expect(!first.events.isEmpty)
        let again = try scenario.apply(.partnerUpdate(update))
        #expect(again.isNoOp)
    }

    @Test func outputIDsDeriveFromTheInputSoARerunGivesTheSameIDs() throws {
        let scenario = try Scenario.booked()
        let update = BookingCommand.partnerUpdate(
            PartnerUpdate(
                eventID: "pu-42", partnerID: "metro-taxi", bookingID: scenario.value.bookingID, legID: Leg.out,
                status: .rejected, sequence: 1))
        let decider = BookingDecider()
        let first = try decider.decide(update, booking: scenario.booking, partners: Fixture.directory, now: Fixture.now)
            .get()
        let second = try decider.decide(
            update, booking: scenario.booking, partners: Fixture.directory, now: Fixture.now
        ).get()
        #expect(first == second)
        #expect(first.events.allSatisfy { $0.eventID.hasPrefix("pu-42/") })
        #expect(first.partnerCommands.allSatisfy { $0.eventID.hasPrefix("pu-42/") })
        #expect(first.audit.allSatisfy { $0.auditID.hasPrefix("pu-42/") })
    }
}
