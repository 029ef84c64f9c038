import Foundation
import Testing
import TransportBooking

@Suite("Privacy")
struct PrivacyTests {
    func offer() throws -> (PartnerCommand, RideOffer) {
        var scenario = Scenario()
        let decision = try scenario.apply(.requestTravel(Fixture.request(returnTrip: false)))
        let command = try #require(decision.partnerCommands.first)
        guard case .offer(let offer) = command.body else {
            Issue.record("expected an offer")
            throw CancellationError()
        }
        return (command, offer)
    }

    @Test func aRideOfferHoldsOnlyWhatAPartnerNeedsToDecide() throws {
        let (_, offer) = try offer()
        let fields = Set(Mirror(reflecting: offer).children.compactMap(\.label))
        #expect(
            fields == [
                "bookingID", "legID", "pickupArea", "dropOffArea", "distanceMeters", "pickupWindow", "mobility",
                "companions", "offerExpiresAt", "urgent",
            ])
        #expect(offer.pickupArea == CoarseArea(containing: Fixture.cambridgeHome.point))
        #expect(offer.dropOffArea == CoarseArea(containing: Fixture.site.point))
        #expect(offer.pickupArea.cellCentre != Fixture.cambridgeHome.point)
        let json = String(decoding: try JSONEncoder().encode(offer), as: UTF8.self)
        for secret in [Fixture.contactToken, Fixture.cambridgeHome.addressText, Fixture.site.addressText] {
            #expect(!json.contains(secret), "the offer carries \(secret)")
        }
    }

    @Test func partnerMessagesNeverNameThePatientTrialOrVisit() throws {
        let (command, _) = try offer()
        let commandFields = Set(Mirror(reflecting: command).children.compactMap(\.label))
        #expect(commandFields == ["eventID", "occurredAt", "partnerID", "body"])
        let json = String(decoding: try JSONEncoder().encode(command), as: UTF8.self)
        for secret in [Fixture.patientRef, Fixture.trialID, Fixture.visitID] {
            #expect(!json.contains(secret), "\(secret) leaked to the partner")
        }
        let cancellation = RideCancellation(bookingID: "bk-1", legID: Leg.out, lateCancellation: false)
        #expect(
            Set(Mirror(reflecting: cancellation).children.compactMap(\.label)) == [
                "bookingID", "legID", "lateCancellation", "forgetRideDetails",
            ])
    }

    @Test func aTravelRequestWithoutAnAssignedBookingIDIsRefused() {
        var request = Fixture.request()
        request.bookingID = ""
        #expect(Scenario().rejection(.requestTravel(request))?.code == .invalidArgument)
    }

    @Test func snapshotsForEventsAndGetBookingHoldNoPersonalData() throws {
        let scenario = try Scenario.booked()
        let snapshot = try BookingQueries.getBooking(scenario.booking, patientRef: Fixture.patientRef).get()
        let json = String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)
        for secret in [Fixture.contactToken, Fixture.cambridgeHome.addressText, Fixture.site.addressText, "42.3736"] {
            #expect(!json.contains(secret))
        }
        #expect(snapshot.legs.map(\.status) == [.offered, .offered])
        #expect(snapshot.legs.first?.history.map(\.to) == [.requested, .offered])
        #expect(BookingQueries.getBooking(scenario.booking, patientRef: "p-other").failureCode == .notFound)
        #expect(BookingQueries.getBooking(nil, patientRef: Fixture.patientRef).failureCode == .notFound)
    }

    @Test func erasureRemovesAddressesAndTokensAndKeepsTheHistory() throws {
        var scenario = try Scenario.booked()
        try scenario.update(Leg.out, .accepted, sequence: 1)
        let historyBefore = scenario.value.legs.map(\.history)
        let decision = try scenario.apply(.eraseData(DataErasure(eventID: "er-1", erasureRequestID: "erq-77")))
        let booking = scenario.value
        for leg in booking.legs {
            #expect(leg.pickup == nil && leg.dropOff == nil && leg.contactToken == nil)
            #expect(leg.status == .cancelled && leg.reasonCode == "DATA_ERASED")
        }
        #expect(booking.personalDataErasedAt == Fixture.now)
        #expect(
            zip(historyBefore, booking.legs.map(\.history)).allSatisfy { before, after in after.starts(with: before) })
        #expect(booking.patientRef == Fixture.patientRef && booking.visitID == Fixture.visitID)
        // Partners are told to forget, and the erasure is audited.
        #expect(decision.cancellations.map(\.partnerID) == ["metro-taxi", "metro-taxi"])
        let erasure = try #require(decision.audit.first { $0.action == .erasure })
        #expect(erasure.details["erasure-request-id"] == "erq-77" && erasure.subject == booking.bookingID)
        let stored = String(decoding: try JSONEncoder().encode(booking), as: UTF8.self)
        #expect(!stored.contains(Fixture.contactToken) && !stored.contains(Fixture.cambridgeHome.addressText))
    }

    @Test func erasureLeavesARideInProgressRunningAndIsIdempotent() throws {
        var scenario = try Scenario.booked()
        try scenario.update(Leg.out, .pickedUp, sequence: 1)
        try scenario.apply(.eraseData(DataErasure(eventID: "er-1", erasureRequestID: "erq-1")))
        #expect(scenario.leg(Leg.out).status == .pickedUp && scenario.leg(Leg.out).pickup == nil)
        try scenario.update(Leg.out, .completed, sequence: 2)
        #expect(scenario.leg(Leg.out).status == .completed)
        #expect(try scenario.apply(.eraseData(DataErasure(eventID: "er-2", erasureRequestID: "erq-1"))).isNoOp)
    }

    @Test func auditRecordsArePseudonymous() throws {
        var scenario = Scenario()
        let decision = try scenario.apply(.requestTravel(Fixture.request()))
        #expect(!decision.audit.isEmpty)
        for note in decision.audit {
            #expect(note.subject == scenario.value.bookingID)
            #expect(note.details.values.allSatisfy { !$0.contains(Fixture.contactToken) && !$0.contains("Elm St") })
        }
    }
}

extension Result {
    var failureCode: BookingRejection.Code? {
        if case .failure(let error) = self { return (error as? BookingRejection)?.code }
        return nil
    }
}
