import Foundation
import Logging
import Testing
import TransitTestSupport
import TransitKafka
import TransitTime
import TransitRPC
import TransitWire

import struct TrialAccess.AdverseEventRules
import struct TrialAccess.TrialAccessConfig

/// Enrollment and travel events in, `TrialAccessEvent`s, audit records and dead letters out,
/// through the local broker and an SQLite store.
@Suite("trial-access worker: events", .serialized, .timeLimit(.minutes(5)))
struct EventFlowTests {
    @Test("a referral emits EnrollmentStatusChanged eligible, SlotReserved and an audit record")
    func referralIsEligibleAndReservesASlot() async throws {
        try await withWorker("eligible") { topics, _ in
            let patient = TestBroker.unique("pt")
            try await TestBroker.publish([Fixture.referral(patient)], topics: topics)
            let events = try await TestBroker.events(topics) {
                $0.latestState(of: patient) != nil && !$0.slotsReserved(for: patient).isEmpty
            }
            let change = try #require(events.statusChanges(of: patient).last)
            #expect(change.state == .eligible)
            #expect(change.previousState == .candidate)
            #expect(change.trialId == TestCatalog.trialID)
            #expect(change.siteId == TestCatalog.siteA)
            #expect(change.reasonCodes == ["ALL_CRITERIA_MET"])
            let slot = try #require(events.slotsReserved(for: patient).first)
            #expect(slot.siteId == TestCatalog.siteA)
            #expect(!slot.slotId.isEmpty)
            #expect(slot.expiresAt > Fixture.now)
            let statusEvent = try #require(
                events.first { $0.patientRef == patient && $0.eventId.hasSuffix("/status/eligible") })
            #expect(statusEvent.source == "trial-access")

            let audit = try await TestBroker.auditRecords(topics) { records in
                records.contains { $0.subject == patient }
            }
            let record = try #require(audit.first { $0.subject == patient })
            #expect(record.action == .stateTransition)
            #expect(record.actor == "worker:trial-access")
            #expect(record.details["state"] == "eligible")
            #expect(record.details["previous-state"] == "candidate")
            #expect(record.details["source-event-id"] != nil)
        }
    }

    @Test("an ineligible referral names every failed criterion")
    func ineligibleReferralNamesFailedCriteria() async throws {
        try await withWorker("ineligible") { topics, _ in
            let patient = TestBroker.unique("pt")
            try await TestBroker.publish(
                [Fixture.referral(patient, Fixture.referred(age: 12, ecog: 3))], topics: topics)
            let events = try await TestBroker.events(topics) { $0.latestState(of: patient) != nil }
            let change = try #require(events.statusChanges(of: patient).last)
            #expect(change.state == .ineligible)
            #expect(Set(change.reasonCodes) == ["AGE_MIN", "ECOG"])
            #expect(events.slotsReserved(for: patient).isEmpty)
        }
    }

    @Test("an invalid transition is dead-lettered with its reason and the worker goes on")
    func invalidTransitionGoesToTheDeadLetterTopic() async throws {
        try await withWorker("invalid-transition") { topics, running in
            let patient = TestBroker.unique("pt")
            let screening = Fixture.screeningPassed(patient)  // the enrollment is eligible, not in screening
            try await TestBroker.publish([Fixture.referral(patient), screening], topics: topics)
            let letters = try await TestBroker.read(topics.deadLetters) { messages in
                messages.contains { $0.headers.string("dlq-error-code") != nil }
            }
            let letter = try #require(letters.first)
            #expect(letter.headers.string("dlq-error-code") == "INVALID_TRANSITION")
            let reason = try #require(letter.headers.string("dlq-error"))
            #expect(reason.contains("eligible"), "\(reason)")
            #expect(!reason.contains(patient))
            #expect(letter.headers.string("dlq-source-topic") == topics.enrollmentEvents)
            #expect(try EnrollmentEvent(wireBytes: letter.value).eventId == screening.eventId)

            // Still working: the next event of the patient is handled.
            try await TestBroker.publish([Fixture.visitScheduled(patient, Fixture.visit("v-1"))], topics: topics)
            let events = try await TestBroker.events(topics) { events in
                events.contains { if case .visitPlanned? = $0.body { $0.patientRef == patient } else { false } }
            }
            #expect(events.contains { if case .visitPlanned? = $0.body { true } else { false } })
            #expect(running.worker.stats.deadLettered == 1)
        }
    }

    @Test(
        "undecodable, bodiless, unknown-body, unmappable and invalid catalogue records are dead-lettered with their codes"
    )
    func poisonRecordsAreDeadLettered() async throws {
        try await withWorker("poison") { topics, running in
            let patient = TestBroker.unique("pt")
            var noBody = Fixture.referral(patient)
            noBody.body = nil
            // A body this reader does not know: field 30 (length-delimited, empty) after the envelope.
            var unknownBody = Fixture.referral(patient)
            unknownBody.body = nil
            var screening = ScreeningCompleted()  // outcome UNSPECIFIED
            screening.trialId = TestCatalog.trialID
            var invalidTrial = Fixture.catalogRecord(capacityA: 1, updatedAt: Fixture.now)
            invalidTrial.sites[0].location = nil
            try await TestBroker.publish([
                KafkaProducerMessage(topic: topics.enrollmentEvents, key: patient, value: [0xFF, 0x01, 0x02]),
                KafkaProducerMessage(topic: topics.enrollmentEvents, key: patient, value: noBody.wireBytes()),
                KafkaProducerMessage(
                    topic: topics.enrollmentEvents, key: patient, value: unknownBody.wireBytes() + [0xF2, 0x01, 0x00]),
                KafkaProducerMessage(
                    topic: topics.enrollmentEvents, key: patient,
                    value: Fixture.event(patient, .screeningCompleted(screening)).wireBytes()),
                KafkaProducerMessage(
                    topic: topics.trialCatalog, key: TestCatalog.trialID, value: invalidTrial.wireBytes()),
            ])
            let letters = try await TestBroker.read(topics.deadLetters) { $0.count >= 5 }
            let codes = letters.compactMap { $0.headers.string("dlq-error-code") }
            #expect(
                codes.sorted() == ["DECODE_FAILED", "INVALID", "INVALID", "NO_BODY", "UNKNOWN_BODY"], "\(codes)")
            let reasons = letters.compactMap { $0.headers.string("dlq-error") }
            #expect(reasons.contains { $0.contains("screening_completed.outcome") }, "\(reasons)")
            #expect(reasons.contains { $0.contains("sites[0].location") }, "\(reasons)")

            // The worker goes on with the next record, and the catalogue kept its definition.
            try await TestBroker.publish([Fixture.referral(patient)], topics: topics)
            let events = try await TestBroker.events(topics) { $0.latestState(of: patient) != nil }
            #expect(events.latestState(of: patient) == .eligible)
            #expect(running.worker.stats.deadLettered == 5)
        }
    }

    @Test("a planned visit emits TravelNeeded with travel requested and TRANSPORT consent; a cancellation retracts it")
    func travelNeededAndRetracted() async throws {
        try await withWorker("travel") { topics, _ in
            let patient = TestBroker.unique("pt")
            let referred = Fixture.referred(consents: [Fixture.consent(.contact), Fixture.consent(.transport)])
            try await TestBroker.publish([Fixture.referral(patient, referred)], topics: topics)
            _ = try await TestBroker.events(topics) { $0.latestState(of: patient) == .eligible }

            let visit = Fixture.visit("v-c1d1")
            try await TestBroker.publish([Fixture.visitScheduled(patient, visit)], topics: topics)
            _ = try await TestBroker.events(topics) { events in
                events.contains { if case .visitPlanned? = $0.body { $0.patientRef == patient } else { false } }
            }
            try await TestBroker.publish([Fixture.travelRequested(patient)], topics: topics)
            let needed = try await TestBroker.events(topics) { events in
                events.contains { if case .travelNeeded? = $0.body { true } else { false } }
            }
            guard
                case .travelNeeded(let need)? = needed.first(where: {
                    if case .travelNeeded? = $0.body { true } else { false }
                })?.body
            else {
                Issue.record("no TravelNeeded")
                return
            }
            #expect(need.visit?.visitId == visit.visitId)
            #expect(need.destination?.addressText == "Test Road 1, entrance A")
            #expect(need.mobility == .wheelchair)
            #expect(need.companions == 1)
            #expect(need.language == "nl")

            try await TestBroker.publish([Fixture.visitCancelled(patient, visitID: visit.visitId)], topics: topics)
            let retracted = try await TestBroker.events(topics) { events in
                events.contains { if case .travelNoLongerNeeded? = $0.body { true } else { false } }
            }
            guard
                case .travelNoLongerNeeded(let retraction)? = retracted.first(where: {
                    if case .travelNoLongerNeeded? = $0.body { true } else { false }
                })?.body
            else {
                Issue.record("no TravelNoLongerNeeded")
                return
            }
            #expect(retraction.visitId == visit.visitId)
            #expect(retraction.trialId == TestCatalog.trialID)
            #expect(retraction.reason == .visitCancelled)
        }
    }

    @Test("no TravelNeeded without TRANSPORT consent")
    func noTravelWithoutTransportConsent() async throws {
        try await withWorker("no-consent") { topics, _ in
            let patient = TestBroker.unique("pt")
            try await TestBroker.publish([Fixture.referral(patient)], topics: topics)
            _ = try await TestBroker.events(topics) { $0.latestState(of: patient) == .eligible }
            try await TestBroker.publish([Fixture.travelRequested(patient)], topics: topics)
            try await TestBroker.publish([Fixture.visitScheduled(patient, Fixture.visit("v-1"))], topics: topics)
            let events = try await TestBroker.events(topics) { events in
                events.contains { if case .visitPlanned? = $0.body { true } else { false } }
            }
            #expect(!events.contains { if case .travelNeeded? = $0.body { true } else { false } })
        }
    }
}

/// Runs `body` with a worker on fresh topics and a fresh SQLite store (catalogue: site A with
/// `capacityA` slots, the trial's `adverseEventRules`); stops and removes everything afterwards.
func withWorker(
    _ name: String, capacityA: Int = 2, capacityB: Int = 0, adverseEventRules: AdverseEventRules = AdverseEventRules(),
    kind: StoreKind = .sqlite, config: TrialAccessConfig = .standard, logger: Logger = TestBroker.quietLogger,
    clock: any WallClock = SystemWallClock(), _ body: (TransitTopics, RunningWorker) async throws -> Void
) async throws {
    let topics = try await TestBroker.makeTopics(name)
    let catalogPath = try TestCatalog.write(
        capacityA: capacityA, capacityB: capacityB, adverseEventRules: adverseEventRules)
    defer { try? FileManager.default.removeItem(atPath: catalogPath) }
    let database = try await TestDatabase.make(kind)
    defer { database.destroy() }
    let store = try await database.open()
    let running = try await RunningWorker.start(
        store: store, topics: topics, catalogPath: catalogPath, config: config, group: TestBroker.unique("taw-group"),
        logger: logger, clock: clock)
    try await withCleanup { try await body(topics, running) } cleanup: {
        await running.stop()
        try await store.close()
    }
}
