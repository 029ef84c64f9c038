import Testing
import TransportBooking

@Suite("Travel intake (joining requests with visits)")
struct TravelIntakeTests {
    func assistance(
        _ requestID: String = "req-1", visitID: String? = nil, mobility: Mobility? = nil, companions: UInt32 = 0,
        language: String? = nil
    ) -> TravelAssistance {
        TravelAssistance(
            requestID: requestID, trialID: Fixture.trialID, visitID: visitID, pickup: Fixture.cambridgeHome,
            returnTrip: true, mobility: mobility, companions: companions, language: language,
            contactToken: Fixture.contactToken)
    }

    func need(
        _ visitID: String = Fixture.visitID, at time: Int64 = Fixture.appointment, mobility: Mobility? = .wheelchair,
        companions: UInt32 = 1
    ) -> VisitTravelNeed {
        VisitTravelNeed(
            visitID: visitID, trialID: Fixture.trialID, appointmentAt: time, visitDurationMinutes: 90,
            destination: Fixture.site, mobility: mobility, companions: companions, language: "es")
    }

    @Test func aVisitIsBookableOnceBothHalvesAreKnownWhicheverComesFirst() throws {
        var needFirst = TravelIntake(patientRef: Fixture.patientRef)
        #expect(needFirst.record(need(), eventID: "tn-1") == nil)
        let joined = needFirst.record(assistance(), eventID: "tar-1")
        #expect(joined.map(\.visitID) == [Fixture.visitID])
        #expect(joined.first?.eventID == "tar-1/\(Fixture.visitID)")

        var requestFirst = TravelIntake(patientRef: Fixture.patientRef)
        #expect(requestFirst.record(assistance(), eventID: "tar-1").isEmpty)
        let recorded = requestFirst.record(need(), eventID: "tn-1")
        let request = try #require(recorded)
        #expect(request.eventID == "tn-1" && request.origin == .travelNeeded)
        #expect(request.appointmentAt == Fixture.appointment && request.dropOff == Fixture.site)
        #expect(request.pickup == Fixture.cambridgeHome && request.contactToken == Fixture.contactToken)
        #expect(request.bookingID.isEmpty)  // the wiring assigns the keyed id
    }

    @Test func unspecifiedDetailsFallBackToTheReferral() throws {
        var intake = TravelIntake(patientRef: Fixture.patientRef)
        _ = intake.record(assistance(companions: 0), eventID: "tar-1")
        let recorded = intake.record(need(companions: 1), eventID: "tn-1")
        let fromReferral = try #require(recorded)
        #expect(fromReferral.needs == RideNeeds(mobility: .wheelchair, companions: 1, language: "es"))

        _ = intake.record(assistance(mobility: .stretcher, companions: 2, language: "en"), eventID: "tar-2")
        let fromRequest = try #require(intake.request(for: Fixture.visitID, eventID: "x"))
        #expect(fromRequest.needs == RideNeeds(mobility: .stretcher, companions: 2, language: "en"))

        var unknown = TravelIntake(patientRef: Fixture.patientRef)
        _ = unknown.record(assistance(), eventID: "tar-1")
        #expect(unknown.record(need(mobility: nil), eventID: "tn-1")?.needs.mobility == .ambulatory)
    }

    @Test func aRequestForOneVisitBeatsATrialWideOne() throws {
        var intake = TravelIntake(patientRef: Fixture.patientRef)
        _ = intake.record(need(), eventID: "tn-1")
        _ = intake.record(need("v-c2d1", at: Fixture.appointment + 21 * Fixture.day), eventID: "tn-2")
        let all = intake.record(assistance("req-all"), eventID: "tar-1")
        #expect(all.map(\.visitID) == [Fixture.visitID, "v-c2d1"])
        let one = intake.record(assistance("req-one", visitID: "v-c2d1", mobility: .wheelchair), eventID: "tar-2")
        #expect(one.map(\.visitID) == ["v-c2d1"])
        #expect(intake.request(for: "v-c2d1", eventID: "x")?.travelRequestID == "req-one")
        #expect(intake.request(for: Fixture.visitID, eventID: "x")?.travelRequestID == "req-all")
    }

    @Test func cancellingARequestNamesTheVisitsToCancel() {
        var intake = TravelIntake(patientRef: Fixture.patientRef)
        _ = intake.record(need(), eventID: "tn-1")
        _ = intake.record(need("v-c2d1"), eventID: "tn-2")
        _ = intake.record(assistance("req-all"), eventID: "tar-1")
        #expect(intake.cancel(requestID: "req-all", visitID: "v-c2d1") == ["v-c2d1"])
        #expect(intake.request(for: "v-c2d1", eventID: "x") == nil)
        #expect(intake.request(for: Fixture.visitID, eventID: "x") != nil)
        #expect(intake.cancel(requestID: "req-all", visitID: nil) == [Fixture.visitID])
        #expect(intake.assistance.isEmpty)
    }

    @Test func aVisitNoLongerNeededIsForgottenAndErasureDropsAddresses() {
        var intake = TravelIntake(patientRef: Fixture.patientRef)
        _ = intake.record(assistance(), eventID: "tar-1")
        _ = intake.record(need(), eventID: "tn-1")
        intake.removeNeed(visitID: Fixture.visitID)
        #expect(intake.request(for: Fixture.visitID, eventID: "x") == nil)
        _ = intake.record(need(), eventID: "tn-2")
        intake.erasePersonalData()
        #expect(intake.assistance.isEmpty)
        #expect(intake.request(for: Fixture.visitID, eventID: "x") == nil)
    }

    @Test func aRescheduledVisitFromTrialAccessRebooksThroughTheIntake() throws {
        var intake = TravelIntake(patientRef: Fixture.patientRef)
        _ = intake.record(assistance(), eventID: "tar-1")
        var scenario = Scenario()
        let recordedFirst = intake.record(need(), eventID: "tn-1")
        var first = try #require(recordedFirst)
        first.bookingID = Fixture.bookingID
        try scenario.apply(.requestTravel(first))
        // TravelNoLongerNeeded(VISIT_RESCHEDULED), then TravelNeeded with the new time.
        try scenario.apply(.cancel(.travelNoLongerNeeded(eventID: "tnn-1", reason: .visitRescheduled)))
        intake.removeNeed(visitID: Fixture.visitID)
        let recorded = intake.record(need(at: Fixture.appointment + Fixture.day), eventID: "tn-2")
        var moved = try #require(recorded)
        moved.bookingID = Fixture.bookingID
        let decision = try scenario.apply(.requestTravel(moved))
        #expect(scenario.value.revision == 2 && scenario.value.appointmentAt == Fixture.appointment + Fixture.day)
        #expect(decision.offers.count == 2)
    }
}
