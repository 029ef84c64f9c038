import Foundation
import Testing
import TransitDemo
import TransitKafka
import TransitRPC
import TransitTestSupport
import TransitTime
import TransitWire

import struct TrialAccess.AdverseEventRules

/// Adverse events end to end: the trial-access worker (SQLite), the transport worker (its own
/// SQLite file) and a partner simulator on the local broker. A grade 3 report ends with the
/// urgent visit's rides completed by the partner; a grade 4 report discontinues treatment and the
/// future dosing visits' rides are cancelled at the partner.
@Suite("trial access and transport: adverse events end to end", .serialized, .timeLimit(.minutes(5)))
struct AdverseEventRideFlowTests {
    /// CTCAE "Colitis" (MedDRA 10009887).
    static let colitis = "10009887"
    static let partnerID = "amsterdam-care-taxi"
    static let leadMinutes: Int64 = 30
    /// One partner around Amsterdam (the patients' homes and site A), wheelchair rides.
    static let partners = """
        {"version": 1, "partners": [{"id": "\(partnerID)", "priority": 1,
         "service_area": {"centre": {"latitude": 52.37, "longitude": 4.89}, "radius_km": 60},
         "capabilities": {"mobility": ["ambulatory", "wheelchair"], "companion_seats": 3},
         "minimum_lead_time_minutes": \(leadMinutes), "free_cancellation_minutes": 60, "response_timeout_seconds": 120}]}
        """
    static let rules = AdverseEventRules(dosingVisitCodes: ["C2D1", "C3D1"])

    @Test("grade 3: referral to an urgent ride the partner completes; the term never reaches a partner")
    func grade3UrgentRideCompleted() async throws {
        try await Self.withWorkersAndPartner("ae-urgent-ride", stepDelay: .milliseconds(50)) { topics, partner, _ in
            let patient = TestBroker.unique("pt")
            try await Self.enrolOnStudy(patient, visits: [Fixture.visit("v-c1d1", code: "C1D1", inDays: 7)], topics: topics)
            _ = try await Self.bookings(of: patient, count: 1, topics: topics)

            let reportID = TestBroker.unique("ae")
            let reportedAt = Fixture.now
            try await TestBroker.publish(
                [Fixture.adverseEventReported(patient, termCode: Self.colitis, grade: 3, id: reportID)], topics: topics)
            let urgentVisit = "\(reportID)/visit"

            // Every leg of the urgent visit's booking driven to COMPLETED by the partner.
            let events = try await readTopic(topics.bookingEvents) { messages in
                let events = messages.bookingEvents(on: topics.bookingEvents)
                guard let booking = events.booking(visitID: urgentVisit) else { return false }
                return Set(events.legs(of: booking.bookingId, reaching: .completed)) == Set(booking.legs.map(\.legId))
            }.bookingEvents(on: topics.bookingEvents)
            let booking = try #require(events.booking(visitID: urgentVisit))
            #expect(booking.patientRef == patient)
            #expect(booking.legs.map(\.legId) == ["outbound-1", "return-1"])
            let completed = events.compactMap(\.statusChange).filter {
                $0.bookingId == booking.bookingId && $0.status == .completed
            }
            #expect(completed.allSatisfy { $0.partnerId == Self.partnerID })
            // The simulator counts a ride once it has sent COMPLETED, which may be after the booking saw it.
            try await waitUntil("the partner to count the rides completed", saw: { "\(partner.simulator.stats)" }) {
                partner.simulator.stats.completed >= 2
            }

            // Trial access asked for the rides as urgent; the partner was offered them as urgent,
            // the outbound one with the earliest pickup its lead time allows.
            func needs(_ events: [TrialAccessEvent]) -> [TravelNeeded] {
                events.compactMap { event in
                    if case .travelNeeded(let need)? = event.body, need.visit?.visitId == urgentVisit { need } else { nil }
                }
            }
            let accessEvents = try await TestBroker.events(topics) { !needs($0).isEmpty }
            #expect(needs(accessEvents).map(\.urgent) == [true])
            let offers = try await Self.partnerCommands(topics).compactMap { command -> RideOffer? in
                if case .rideOffer(let offer)? = command.body, offer.bookingId == booking.bookingId { offer } else { nil }
            }
            #expect(Set(offers.map(\.legId)) == ["outbound-1", "return-1"])
            #expect(offers.allSatisfy { $0.urgent })
            let outbound = try #require(offers.first { $0.legId == "outbound-1" })
            let start = try #require(outbound.pickupWindow?.startAt)
            #expect(start >= reportedAt + Self.leadMinutes * 60_000)
            #expect(start <= SystemWallClock().nowMilliseconds() + Self.leadMinutes * 60_000)

            try await Self.expectNoClinicalDetail(on: topics)
        }
    }

    @Test("grade 4: referral to discontinuation; each future dosing visit and its rides cancelled at the partner, audited")
    func grade4DiscontinuesAndCancelsRides() async throws {
        // The partner accepts and holds each ride (visits are days away): nothing progresses.
        try await Self.withWorkersAndPartner("ae-discontinue", rules: Self.rules, stepDelay: .seconds(3600)) {
            topics, partner, rpc in
            let patient = TestBroker.unique("pt")
            let dosing = ["v-c2d1", "v-c3d1"]
            let visits = [
                Fixture.visit("v-c2d1", code: "C2D1", inDays: 10), Fixture.visit("v-c3d1", code: "C3D1", inDays: 31),
                Fixture.visit("v-eot", code: "EOT", inDays: 40),
            ]
            try await Self.enrolOnStudy(patient, visits: visits, topics: topics)
            let booked = try await Self.bookings(of: patient, count: visits.count, topics: topics, accepted: true)
            let bookingIDs = Dictionary(uniqueKeysWithValues: booked.map { ($0.visitId, $0.bookingId) })

            let reportID = TestBroker.unique("ae")
            try await TestBroker.publish(
                [Fixture.adverseEventReported(patient, termCode: Self.colitis, grade: 4, id: reportID)], topics: topics)

            // ResearchSubject: on-study -> follow-up, treatment discontinued; rides retracted.
            let events = try await TestBroker.events(topics) { $0.latestState(of: patient) == .followUp }
            let change = try #require(events.statusChanges(of: patient).last)
            #expect(change.reasonCodes == ["TREATMENT_DISCONTINUED"])
            let retractions = events.compactMap { event -> TravelNoLongerNeeded? in
                if case .travelNoLongerNeeded(let retraction)? = event.body, event.patientRef == patient {
                    retraction
                } else {
                    nil
                }
            }
            #expect(retractions.map(\.visitId).sorted() == dosing)
            #expect(retractions.allSatisfy { $0.reason == .visitCancelled })
            #expect(!events.contains { if case .visitPlanned(let plan)? = $0.body { plan.visit?.visitCode == "UNSCHEDULED" } else { false } })

            // Every leg of the dosing visits' bookings cancelled, and the partner told so.
            let dosingLegs = Set(
                booked.filter { dosing.contains($0.visitId) }.flatMap { booking in
                    booking.legs.map { "\(booking.bookingId)/\($0.legId)" }
                })
            #expect(dosingLegs.count == 4)
            let commands = try await readTopic(topics.partnerRequests(Self.partnerID)) { messages in
                Set(messages.partnerCommands(on: topics.partnerRequests(Self.partnerID)).cancellations) == dosingLegs
            }.partnerCommands(on: topics.partnerRequests(Self.partnerID))
            let cancellationIDs = Set(commands.filter { $0.cancelledLeg != nil }.map(\.eventId))
            #expect(cancellationIDs.count == 4, "one cancellation per leg, none for EOT")
            try await waitUntil("the partner to stop the four rides", saw: { "\(partner.simulator.stats)" }) {
                partner.simulator.stats.cancellations >= 4
            }
            #expect(partner.simulator.stats.completed == 0)

            for visit in visits {
                let booking = try #require(
                    try await rpc.client.call(
                        TransportBookingService.getBooking,
                        GetBookingRequest(patientRef: patient, visitId: visit.visitId), key: patient,
                        deadline: .seconds(90)
                    ).booking)
                #expect(booking.bookingId == bookingIDs[visit.visitId])
                if dosing.contains(visit.visitId) {
                    #expect(booking.legs.map(\.status) == [.cancelled, .cancelled], "\(visit.visitId)")
                    #expect(booking.legs.allSatisfy { $0.cancelledBy == .system && $0.reasonCode == "VISIT_CANCELLED" })
                } else {
                    #expect(booking.legs.map(\.status) == [.accepted, .accepted], "EOT keeps its rides")
                }
            }

            // GetEnrollment: follow-up, only the EOT visit left.
            let enrollment = try await rpc.enrollment(of: patient)
            #expect(enrollment.state == .followUp)
            #expect(enrollment.visits.map(\.visitId) == ["v-eot"])

            // Audited on both sides: trial access per step, transport per cancelled leg.
            let audit = try await TestBroker.auditRecords(topics) { records in
                Set(records.cancelledLegs) == dosingLegs
                    && records.filter { $0.subject == patient && $0.details["step"] == "dosing-visit-cancelled" }.count == 2
            }
            let steps = audit.filter { $0.subject == patient && $0.action == .adverseEventResponse }
            #expect(
                steps.compactMap { $0.details["step"] } == [
                    "reported", "treatment-discontinued", "dosing-visit-cancelled", "dosing-visit-cancelled",
                ])
            let cancelledVisits = steps.filter { $0.details["step"] == "dosing-visit-cancelled" }
            #expect(cancelledVisits.compactMap { $0.details["visit-id"] }.sorted() == dosing)
            #expect(cancelledVisits.allSatisfy { $0.details["travel"] == "retracted" })
            #expect(steps.allSatisfy { $0.details["source-event-id"] == reportID })
            #expect(
                audit.filter { $0.details["state"] == "RIDE_STATUS_CANCELLED" }.allSatisfy {
                    $0.actor == "worker:transport" && $0.details["reason"] == "VISIT_CANCELLED"
                })

            try await Self.expectNoClinicalDetail(on: topics)
        }
    }

    // MARK: Steps

    /// Refers the patient (CONTACT and TRANSPORT consent), schedules `visits`, asks for travel to
    /// every visit, then consent, screening and enrolment: returns once the patient is on study.
    static func enrolOnStudy(_ patient: String, visits: [Visit], topics: TransitTopics) async throws {
        let referred = Fixture.referred(consents: [Fixture.consent(.contact), Fixture.consent(.transport)])
        try await TestBroker.publish([Fixture.referral(patient, referred)], topics: topics)
        _ = try await TestBroker.events(topics) { $0.latestState(of: patient) == .eligible }
        try await TestBroker.publish(visits.map { Fixture.visitScheduled(patient, $0) }, topics: topics)
        try await TestBroker.publish([Fixture.travelRequested(patient)], topics: topics)
        try await TestBroker.publish(
            [
                Fixture.consentRecorded(patient, .participation), Fixture.screeningPassed(patient),
                Fixture.enrollmentConfirmed(patient),
            ], topics: topics)
        _ = try await TestBroker.events(topics) { $0.latestState(of: patient) == .onStudy }
    }

    /// The patient's first `count` bookings (`RideRequested`), once each exists and, when
    /// `accepted`, once the partner accepted each of their legs.
    static func bookings(
        of patient: String, count: Int, topics: TransitTopics, accepted: Bool = false
    ) async throws -> [Booking] {
        func bookings(_ events: [BookingEvent]) -> [Booking] {
            var seen = Set<String>()
            let made = events.compactMap(\.requested?.booking).filter {
                $0.patientRef == patient && seen.insert($0.bookingId).inserted
            }
            return Array(made.prefix(count))
        }
        let events = try await readTopic(topics.bookingEvents) { messages in
            let events = messages.bookingEvents(on: topics.bookingEvents)
            let found = bookings(events)
            guard found.count == count else { return false }
            guard accepted else { return true }
            let confirmed = Set(events.compactMap(\.confirmed).map { "\($0.bookingId)/\($0.legId)" })
            return found.allSatisfy { booking in
                booking.legs.allSatisfy { confirmed.contains("\(booking.bookingId)/\($0.legId)") }
            }
        }.bookingEvents(on: topics.bookingEvents)
        return bookings(events)
    }

    static func partnerCommands(_ topics: TransitTopics) async throws -> [PartnerRideCommand] {
        let topic = topics.partnerRequests(partnerID)
        return try await readWholeTopic(topic).partnerCommands(on: topic)
    }

    /// Neither the term's code nor its name on the partner's topics or the booking events.
    static func expectNoClinicalDetail(on topics: TransitTopics) async throws {
        for topic in [topics.partnerRequests(partnerID), topics.partnerUpdates(partnerID), topics.bookingEvents] {
            let messages = try await readWholeTopic(topic)
            #expect(!messages.isEmpty, "\(topic) was written")
            for message in messages {
                let text = String(decoding: message.value, as: UTF8.self).lowercased()
                #expect(!text.contains(colitis) && !text.contains("colitis"), "\(topic)")
            }
        }
    }

    /// Runs `body` with both workers on fresh topics, the partner simulator (its rides advancing
    /// every `stepDelay`) and an RPC client; stops them all afterwards.
    static func withWorkersAndPartner(
        _ name: String, rules: AdverseEventRules = AdverseEventRules(), stepDelay: Duration,
        _ body: (TransitTopics, RunningPartner, RunningClient) async throws -> Void
    ) async throws {
        try await withWorker(name, adverseEventRules: rules) { topics, _ in
            let transport = try await RunningTransport.start(topics: topics, partnersJSON: partners)
            try await withCleanup {
                let partner = try await RunningPartner.start(
                    topics: topics, options: PartnerSimulatorOptions(partnerID: partnerID, stepDelay: stepDelay))
                try await withCleanup {
                    let rpc = try RunningClient.start(topics: topics)
                    try await withCleanup { try await body(topics, partner, rpc) } cleanup: { await rpc.stop() }
                } cleanup: {
                    await partner.stop()
                }
            } cleanup: {
                await transport.stop()
            }
        }
    }
}

extension [BookingEvent] {
    /// The booking made for `visitID` (its `RideRequested`).
    fileprivate func booking(visitID: String) -> Booking? {
        compactMap(\.requested?.booking).first { $0.visitId == visitID }
    }

    /// Legs of `bookingID` that reached `status`.
    fileprivate func legs(of bookingID: String, reaching status: RideStatus) -> [String] {
        compactMap(\.statusChange).filter { $0.bookingId == bookingID && $0.status == status }.map(\.legId)
    }
}

extension PartnerRideCommand {
    /// `<booking>/<leg>` when it is a cancellation.
    fileprivate var cancelledLeg: String? {
        if case .rideCancellation(let cancellation)? = body { "\(cancellation.bookingId)/\(cancellation.legId)" } else { nil }
    }
}

extension [PartnerRideCommand] {
    /// `<booking>/<leg>` of every cancellation.
    fileprivate var cancellations: [String] { compactMap(\.cancelledLeg) }
}

extension [AuditRecord] {
    /// `<booking>/<leg>` of every transport audit record of a leg moving to CANCELLED.
    fileprivate var cancelledLegs: [String] {
        filter { $0.action == .stateTransition && $0.details["state"] == "RIDE_STATUS_CANCELLED" }.compactMap { record in
            guard let leg = record.details["leg-id"] else { return nil }
            return "\(record.subject)/\(leg)"
        }
    }
}
