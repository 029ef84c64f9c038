import Foundation
import Logging
import Synchronization
import Testing
import TransitKafka
import TransitTestSupport
import TransitRPC
import TransitWire

import struct TrialAccess.ReservationTimer
import struct TrialAccess.TrialAccessConfig

/// Every log line and metadata value the worker writes, at trace level.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func record(_ line: String) { lines.withLock { $0.append(line) } }

    /// A logger writing into this capture (with `metadataProvider`'s metadata, when given).
    func logger(label: String, metadataProvider: Logger.MetadataProvider? = nil) -> Logger {
        var logger = Logger(label: label) { label in
            var handler = CapturingLogHandler(label: label, capture: self)
            handler.metadataProvider = metadataProvider
            return handler
        }
        logger.logLevel = .trace
        return logger
    }
}

struct CapturingLogHandler: LogHandler {
    let label: String
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        all.merge(metadataProvider?.get() ?? [:]) { $1 }
        all.merge(event.metadata ?? [:]) { $1 }
        let pairs = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let error = event.error.map { " error=\($0)" } ?? ""
        capture.record("\(event.level) [\(label)/\(event.source)] \(event.message) \(pairs)\(error)")
    }
}

@Suite("trial-access worker: privacy", .serialized, .timeLimit(.minutes(5)))
struct LogPrivacyTests {
    @Test("no patient ref, coordinate, language, address or contact token appears in any log line or metadata")
    func logsCarryNoPersonalData() async throws {
        let capture = LogCapture()
        // The worker's clock is a manual one: a reservation lapses (and its slot is passed on) when
        // the test moves it past the reservation time.
        let clock = ManualClock(start: Fixture.now)
        let patients = ["pt-SECRET-9f3k2", "pt-SECRET-4q8w1", "pt-SECRET-7z5x0"]
        // Two slots: the first patient consents to participation and goes on to screening (the slot
        // no longer lapses, so its visit and travel paths run whatever the timing); the second's
        // reservation lapses; the third waits for a slot and is promoted into the lapsed one.
        let (screening, expiring, waiting) = (patients[0], patients[1], patients[2])
        let secrets =
            patients + [
                "52.36917", "4.89441", "52.3691", "4.8944",  // home area
                "51.91234", "4.47765",  // pickup point
                "Geheimstraat 12", "ct-SECRET-token", "fy-NL", "gsw-CH",
            ]
        func referral(_ patient: String, participation: Bool = false) -> EnrollmentEvent {
            var consents = [Fixture.consent(.contact), Fixture.consent(.transport)]
            if participation { consents.append(Fixture.consent(.participation, trialID: TestCatalog.trialID)) }
            let referred = Fixture.referred(
                latitude: 52.36917, longitude: 4.89441, language: "fy-NL", consents: consents)
            return Fixture.referral(patient, referred)
        }
        try await withWorker("privacy", capacityA: 2, logger: capture.logger(label: "taw"), clock: clock) {
            topics, running in
            // One partition: the worker decides the three referrals in this order.
            try await TestBroker.publishInOrder(
                [referral(screening, participation: true), referral(expiring), referral(waiting)], topics: topics)
            let decided = try await TestBroker.events(topics) { events in
                events.statusChanges(of: screening).contains { $0.state == .screening }
                    && events.latestState(of: expiring) != nil && events.latestState(of: waiting) != nil
            }
            #expect(decided.statusChanges(of: screening).map(\.state) == [.eligible, .screening])
            #expect(decided.statusChanges(of: expiring).first?.state == .eligible)
            try #require(
                decided.statusChanges(of: waiting).first?.state == .waitlisted,
                "the third patient must wait for a slot: \(decided.statusChanges(of: waiting).map(\.state))")

            // Travel requests with pickup address, contact token and language (kept by the
            // transport worker, never by trial access, never in a log).
            try await TestBroker.publish(
                patients.map {
                    Fixture.travelRequested(
                        $0, pickupLatitude: 51.91234, pickupLongitude: 4.47765, address: "Geheimstraat 12",
                        contactToken: "ct-SECRET-token", language: "gsw-CH")
                },
                topics: topics)
            try await TestBroker.publish([Fixture.visitScheduled(screening, Fixture.visit("v-1"))], topics: topics)
            // Refused: not in screening (a dead letter with its reason).
            try await TestBroker.publish([Fixture.screeningPassed(waiting)], topics: topics)
            try await withRPCClient(topics) { rpc in
                var request = RequestTrialAccessRequest()
                request.patientRef = waiting
                request.referral = Fixture.referred(latitude: 52.36917, longitude: 4.89441, language: "fy-NL")
                _ = try? await rpc.client.call(
                    TrialAccessService.requestTrialAccess, request, key: waiting, deadline: .seconds(90),
                    idempotencyKey: "privacy-1")
                var withdraw = WithdrawPatientRequest()
                withdraw.patientRef = TestBroker.unique("pt-SECRET-none")
                withdraw.trialId = TestCatalog.trialID
                _ = try? await rpc.client.call(TrialAccessService.withdrawPatient, withdraw, deadline: .seconds(90))
            }

            // Past the reservation time the second reservation lapses (a durable timer) and the waiting patient is promoted
            // into that slot by the timer's firing; the visit of the first patient needs a ride.
            // The visit's travel need is decided before the clock moves on (its visit is days ahead).
            _ = try await TestBroker.events(topics) { events in
                events.contains { event in
                    guard event.patientRef == screening, case .travelNeeded? = event.body else { return false }
                    return true
                }
            }
            clock.advance(by: .milliseconds(TrialAccessConfig.standard.reservationTTL + 1))
            let expiry = ReservationTimer.id(patientRef: expiring, trialID: TestCatalog.trialID) + "@"
            func promotedByExpiry(_ event: TrialAccessEvent) -> Bool {
                guard event.patientRef == waiting, event.eventId.hasPrefix(expiry),
                    event.eventId.contains("/promotion/"), case .enrollmentStatusChanged(let change)? = event.body
                else { return false }
                return change.state == .eligible && change.reasonCodes == ["PROMOTED_FROM_WAITLIST"]
            }
            func reservedByExpiry(_ event: TrialAccessEvent) -> Bool {
                guard event.patientRef == waiting, event.eventId.hasPrefix(expiry),
                    case .slotReserved(let reserved)? = event.body
                else { return false }
                return reserved.siteId == TestCatalog.siteA
            }
            func needsTravel(_ event: TrialAccessEvent) -> Bool {
                guard event.patientRef == screening, case .travelNeeded? = event.body else { return false }
                return true
            }
            // (Each patient's events are on their key's partition: wait for all of them.)
            let events = try await TestBroker.events(topics, timeout: .seconds(120)) { events in
                events.contains(where: promotedByExpiry) && events.contains(where: reservedByExpiry)
                    && events.contains(where: needsTravel) && events.statusChanges(of: expiring).count >= 2
            }
            let expired = events.statusChanges(of: expiring)
            #expect(expired.prefix(2).map(\.state) == [.eligible, .needsReview])
            #expect(expired.dropFirst().first?.reasonCodes == ["SLOT_EXPIRED"])
            let (promoted, reserved, travel) = (
                events.contains(where: promotedByExpiry), events.contains(where: reservedByExpiry),
                events.contains(where: needsTravel)
            )
            let states = events.statusChanges(of: waiting).map(\.state)
            #expect(promoted, "the waiting patient was not promoted after the lapse: \(states)")
            #expect(reserved, "no SlotReserved for the promoted patient")
            #expect(travel, "no TravelNeeded for the visit")
            #expect(running.worker.stats.timersFired > 0)
            #expect(running.worker.stats.deadLettered > 0)
        }
        let lines = capture.all
        // The capture saw the handler's own lines, metadata included, on every path exercised
        // (the promotion runs inside the timer's firing).
        for expected in ["input handled", "input refused", "call handled", "reservation timer fired", "event_id="] {
            #expect(lines.contains { $0.contains(expected) }, "no log line has '\(expected)'")
        }
        for secret in secrets {
            let leaks = lines.filter { $0.contains(secret) }
            #expect(leaks.isEmpty, "'\(secret)' appears in \(leaks.count) log lines, e.g. \(leaks.first ?? "")")
        }
        #expect(!lines.contains { $0.contains("SECRET") })
    }
}
